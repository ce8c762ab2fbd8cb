"use client";

import { useTranslations } from "next-intl";
import { useId, useState, useTransition, type FormEvent } from "react";
import { useStepUp } from "@/components/security/use-step-up";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createOperatorAction } from "@/lib/actions/operators";
import { ROLES } from "@/lib/auth/permissions";

type Created = { email: string; initialPassword: string };

export function CreateOperatorDialog() {
  const t = useTranslations("operators");
  const ts = useTranslations("shell");
  const tc = useTranslations("common");
  const id = useId();
  const [isOpen, setOpen] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [isPending, startTransition] = useTransition();
  const { needsStepUp, stepUpPanel } = useStepUp();

  function onOpenChange(open: boolean) {
    setOpen(open);
    if (!open) {
      // The initial password leaves React state as soon as the dialog closes.
      setCreated(null);
      setError(null);
      setFieldErrors({});
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit(new FormData(event.currentTarget));
  }

  function submit(form: FormData) {
    startTransition(async () => {
      const result = await createOperatorAction({ email: form.get("email"), name: form.get("name"), role: form.get("role") });
      // Step-up asked for: the panel shows in place; the same form data is sent again afterwards.
      if (needsStepUp(result, () => submit(form))) return;
      if (result.ok) {
        setCreated({ email: result.data.email, initialPassword: result.data.initialPassword });
        setError(null);
        setFieldErrors({});
        return;
      }
      setError(result.error);
      const errors: Record<string, string> = {};
      if (result.fieldErrors?.email) errors.email = result.code === "conflict" ? t("errors.exists") : t("errors.email");
      if (result.fieldErrors?.name) errors.name = t("errors.name");
      setFieldErrors(errors);
    });
  }

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>{t("create.open")}</Button>
      </DialogTrigger>
      <DialogContent title={created ? t("create.createdTitle") : t("create.title")} description={created ? undefined : t("create.description")}>
        {created ? (
          <div className="space-y-4">
            <p className="text-sm">{t("create.createdBody", { email: created.email })}</p>
            <div className="space-y-1">
              <Label htmlFor={`${id}-initial-password`}>{t("create.password")}</Label>
              <div className="flex gap-2">
                <Input id={`${id}-initial-password`} readOnly value={created.initialPassword} className="font-mono" />
                <CopyButton value={created.initialPassword} />
              </div>
            </div>
            <div className="flex justify-end">
              <DialogClose asChild>
                <Button>{t("create.done")}</Button>
              </DialogClose>
            </div>
          </div>
        ) : (
          <div className="space-y-4">
          {stepUpPanel}
          <form onSubmit={onSubmit} noValidate className="space-y-4" hidden={stepUpPanel !== null}>
            <div className="space-y-1">
              <Label htmlFor={`${id}-email`}>{t("create.email")}</Label>
              <Input id={`${id}-email`} name="email" type="email" required autoComplete="off" aria-invalid={fieldErrors.email ? true : undefined} aria-describedby={fieldErrors.email ? `${id}-email-error` : undefined} />
              {fieldErrors.email ? <p id={`${id}-email-error`} className="text-sm text-red-700 dark:text-red-400">{fieldErrors.email}</p> : null}
            </div>
            <div className="space-y-1">
              <Label htmlFor={`${id}-name`}>{t("create.name")}</Label>
              <Input id={`${id}-name`} name="name" required maxLength={100} autoComplete="off" aria-invalid={fieldErrors.name ? true : undefined} aria-describedby={fieldErrors.name ? `${id}-name-error` : undefined} />
              {fieldErrors.name ? <p id={`${id}-name-error`} className="text-sm text-red-700 dark:text-red-400">{fieldErrors.name}</p> : null}
            </div>
            <div className="space-y-1">
              <Label htmlFor={`${id}-role`}>{t("create.role")}</Label>
              <select id={`${id}-role`} name="role" defaultValue="SUPPORT" className="h-10 w-full rounded-md border border-slate-300 bg-white px-3 text-sm dark:border-slate-600 dark:bg-slate-900">
                {ROLES.map((role) => (
                  <option key={role} value={role}>{ts(`roles.${role}`)}</option>
                ))}
              </select>
            </div>
            <div aria-live="polite" className="min-h-5 text-sm text-red-700 dark:text-red-400">{error}</div>
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button type="button" variant="secondary">{tc("cancel")}</Button>
              </DialogClose>
              <Button type="submit" disabled={isPending}>{isPending ? t("create.submitting") : t("create.submit")}</Button>
            </div>
          </form>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
