"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { useStepUp } from "@/components/security/use-step-up";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { setOperatorScopeAction } from "@/lib/actions/operators";
import type { OperatorScope } from "@/lib/scope/types";

export type ScopeChoice = { value: string; label: string };

/**
 * The scope of one operator: connections and organizations picked from the tenant's, a Lucene
 * filter, or "Whole tenant" (everything cleared). The server validates against the tenant and
 * answers each problem on its field; nothing is saved then.
 */
export function OperatorScopeDialog({
  operatorId,
  email,
  scope,
  connections,
  organizations,
}: {
  operatorId: string;
  email: string;
  scope: OperatorScope | null;
  /** The tenant's connections (value = name) and organizations (value = id, label = display name). */
  connections: ScopeChoice[];
  organizations: ScopeChoice[];
}) {
  const t = useTranslations("OperatorScope");
  const tc = useTranslations("common");
  const id = useId();
  const router = useRouter();
  const [isOpen, setOpen] = useState(false);
  const [chosenConnections, setConnections] = useState<string[]>(scope?.connections ?? []);
  const [chosenOrganizations, setOrganizations] = useState<string[]>(scope?.organizations ?? []);
  const [filter, setFilter] = useState(scope?.filter ?? "");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [isPending, startTransition] = useTransition();
  const { needsStepUp, stepUpPanel } = useStepUp();

  function onOpenChange(open: boolean) {
    setOpen(open);
    if (open) {
      setConnections(scope?.connections ?? []);
      setOrganizations(scope?.organizations ?? []);
      setFilter(scope?.filter ?? "");
    }
    setError(null);
    setFieldErrors({});
  }

  function toggle(list: string[], value: string, isOn: boolean): string[] {
    return isOn ? [...list, value] : list.filter((item) => item !== value);
  }

  function submit(input: { connections: string[]; organizations: string[]; filter: string }) {
    startTransition(async () => {
      const result = await setOperatorScopeAction({ operatorId, ...input });
      if (needsStepUp(result, () => submit(input))) return;
      if (result.ok) {
        setOpen(false);
        router.refresh();
        return;
      }
      setError(result.error);
      setFieldErrors(result.fieldErrors ?? {});
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit({ connections: chosenConnections, organizations: chosenOrganizations, filter });
  }

  function errorsOf(field: string) {
    const messages = fieldErrors[field];
    if (!messages?.length) return null;
    return (
      <ul id={`${id}-${field}-error`} className="text-sm text-red-700 dark:text-red-400">
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    );
  }

  function choices(field: "connections" | "organizations", options: ScopeChoice[], chosen: string[], set: (next: string[]) => void) {
    return (
      <fieldset className="space-y-1" aria-describedby={fieldErrors[field] ? `${id}-${field}-error` : undefined}>
        <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">{t(field)}</legend>
        <p className="text-xs text-slate-600 dark:text-slate-400">{t(`${field}Hint`)}</p>
        {options.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">{t("none")}</p> : null}
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {options.map((option) => (
            <label key={option.value} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={chosen.includes(option.value)}
                onChange={(event) => set(toggle(chosen, option.value, event.target.checked))}
              />
              {option.label}
            </label>
          ))}
        </div>
        {errorsOf(field)}
      </fieldset>
    );
  }

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" size="sm" variant="secondary" aria-label={t("editLabel", { email })}>
          {t("edit")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("title", { email })} description={t("description")}>
        <div className="space-y-4">
          {stepUpPanel}
          <form onSubmit={onSubmit} noValidate className="space-y-4" hidden={stepUpPanel !== null}>
            {choices("connections", connections, chosenConnections, setConnections)}
            {choices("organizations", organizations, chosenOrganizations, setOrganizations)}
            <div className="space-y-1">
              <Label htmlFor={`${id}-filter`}>{t("filter")}</Label>
              <Input
                id={`${id}-filter`}
                value={filter}
                onChange={(event) => setFilter(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
                aria-invalid={fieldErrors.filter ? true : undefined}
                aria-describedby={`${id}-filter-hint${fieldErrors.filter ? ` ${id}-filter-error` : ""}`}
              />
              <p id={`${id}-filter-hint`} className="text-xs text-slate-600 dark:text-slate-400">{t("filterHint")}</p>
              {errorsOf("filter")}
            </div>
            <div role="alert" className="min-h-5 text-sm text-red-700 dark:text-red-400">{error}</div>
            <div className="flex flex-wrap justify-end gap-2">
              <Button
                type="button"
                variant="secondary"
                disabled={isPending}
                onClick={() => {
                  setConnections([]);
                  setOrganizations([]);
                  setFilter("");
                }}
              >
                {t("clear")}
              </Button>
              <DialogClose asChild>
                <Button type="button" variant="secondary">{tc("cancel")}</Button>
              </DialogClose>
              <Button type="submit" disabled={isPending}>{isPending ? t("saving") : t("save")}</Button>
            </div>
          </form>
        </div>
      </DialogContent>
    </Dialog>
  );
}
