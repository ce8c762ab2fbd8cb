"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { setPasswordAction } from "@/lib/actions/passwords";
import { generatePassword } from "@/lib/password-policy/generate";
import { FALLBACK_POLICY, satisfiesPolicy } from "@/lib/password-policy/policy";
import {
  ActionDialog,
  CloseAction,
  ConfirmActions,
  FormActions,
  FieldError,
  FormAlert,
  ReasonField,
  reasonError,
  serverReasonError,
} from "./dialog-parts";
import { PolicyChecklist } from "./policy-checklist";
import { StrengthMeter } from "./strength-meter";
import type { DangerZoneTarget } from "./types";

type Step = "form" | "confirm" | "done";
type FieldErrors = { password?: string; confirm?: string; reason?: string };

/** Danger Zone › Change password: new password + confirmation, policy checklist, reason, confirm step. */
export function ChangePasswordDialog({ target }: { target: DangerZoneTarget }) {
  const t = useTranslations("dangerZone");
  const router = useRouter();
  const id = useId();
  const [isOpen, setOpen] = useState(false);
  const [step, setStep] = useState<Step>("form");
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [isRevealed, setRevealed] = useState(false);
  const [isGenerated, setGenerated] = useState(false);
  const [reason, setReason] = useState("");
  const [idempotencyKey, setIdempotencyKey] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const policy = target.passwordPolicy ?? FALLBACK_POLICY;

  function onOpenChange(open: boolean) {
    // After a change, show the profile's new state (last reset, history) once the dialog closes;
    // doing it here rather than in the action keeps the re-render out of the action's response.
    if (!open && step === "done") router.refresh();
    // The password leaves React state whenever the dialog closes, whatever the step.
    setPassword("");
    setConfirmation("");
    setRevealed(false);
    setGenerated(false);
    setReason("");
    setFieldErrors({});
    setError(null);
    setNotice(null);
    setStep("form");
    // One key per opening: a double submission of this dialog reaches Auth0 once.
    setIdempotencyKey(open ? crypto.randomUUID() : "");
    setOpen(open);
  }

  function onGenerate() {
    const generated = generatePassword(policy);
    setPassword(generated);
    setConfirmation(generated);
    setRevealed(true);
    setGenerated(true);
    setFieldErrors((errors) => ({ ...errors, password: undefined, confirm: undefined }));
  }

  function onContinue(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (password === "") errors.password = t("change.required");
    else if (!satisfiesPolicy(policy, password)) errors.password = t("change.policyNotMet");
    if (confirmation !== password) errors.confirm = t("change.mismatch");
    errors.reason = reasonError(reason, (key) => t(`reason.${key}`));
    setFieldErrors(errors);
    setError(null);
    if (errors.password || errors.confirm || errors.reason) return;
    setStep("confirm");
  }

  function onSubmit() {
    setError(null);
    startTransition(async () => {
      const result = await setPasswordAction({
        userId: target.userId,
        password,
        reason,
        idempotencyKey,
        generated: isGenerated,
      });
      if (result.ok) {
        // Done: the password is no longer needed in the browser.
        setPassword("");
        setConfirmation("");
        setNotice(
          result.data.isAuditComplete
            ? t("change.success", { name: target.name, connection: result.data.connection })
            : `${t("change.success", { name: target.name, connection: result.data.connection })} ${t("auditIncomplete")}`,
        );
        setStep("done");
        return;
      }
      if (result.fieldErrors?.password) {
        // Auth0's policy verdict belongs next to the field.
        setFieldErrors({ password: result.fieldErrors.password[0] ?? result.error });
        setStep("form");
        return;
      }
      if (result.fieldErrors?.reason) {
        setFieldErrors({ reason: serverReasonError(result.fieldErrors.reason, (key) => t(`reason.${key}`)) });
        setStep("form");
        return;
      }
      setError(result.error);
    });
  }

  const passwordType = isRevealed ? "text" : "password";
  const passwordDescribedBy = [`${id}-policy`, fieldErrors.password ? `${id}-password-error` : null]
    .filter(Boolean)
    .join(" ");

  return (
    <ActionDialog
      isOpen={isOpen}
      onOpenChange={onOpenChange}
      step={step}
      triggerLabel={t("change.button")}
      title={
        step === "confirm"
          ? t("change.confirmTitle")
          : step === "done"
            ? t("change.successTitle")
            : t("change.title")
      }
      description={
        step === "form"
          ? t("change.description", { name: target.name, connection: target.connection })
          : undefined
      }
    >
      {step === "form" ? (
        <form onSubmit={onContinue} noValidate className="space-y-4">
          <div className="space-y-1">
            <Label htmlFor={`${id}-password`}>{t("change.newPassword")}</Label>
            <div className="flex gap-2">
              <Input
                id={`${id}-password`}
                name="new-password"
                type={passwordType}
                autoComplete="new-password"
                spellCheck={false}
                value={password}
                onChange={(event) => {
                  setPassword(event.target.value);
                  setGenerated(false);
                }}
                aria-invalid={fieldErrors.password ? true : undefined}
                aria-describedby={passwordDescribedBy}
                data-autofocus
                className="font-mono"
              />
              <Button type="button" variant="secondary" onClick={onGenerate}>
                {t("change.generate")}
              </Button>
            </div>
            <FieldError id={`${id}-password-error`} message={fieldErrors.password} />
          </div>
          {isGenerated && password !== "" ? (
            <div className="flex items-start gap-2 rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-800">
              <p className="flex-1">{t("change.generatedNotice")}</p>
              <CopyButton value={password} label={t("change.copyPassword")} />
            </div>
          ) : null}
          <div className="space-y-1">
            <Label htmlFor={`${id}-confirm`}>{t("change.confirmPassword")}</Label>
            <Input
              id={`${id}-confirm`}
              name="confirm-password"
              type={passwordType}
              autoComplete="new-password"
              spellCheck={false}
              value={confirmation}
              onChange={(event) => setConfirmation(event.target.value)}
              aria-invalid={fieldErrors.confirm ? true : undefined}
              aria-describedby={fieldErrors.confirm ? `${id}-confirm-error` : undefined}
              className="font-mono"
            />
            <FieldError id={`${id}-confirm-error`} message={fieldErrors.confirm} />
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={isRevealed}
              onChange={(event) => setRevealed(event.target.checked)}
              className="h-4 w-4"
            />
            {t("change.show")}
          </label>
          <StrengthMeter password={password} userInputs={target.userInputs} />
          <PolicyChecklist
            id={`${id}-policy`}
            policy={target.passwordPolicy}
            connection={target.connection}
            password={password}
          />
          <ReasonField id={`${id}-reason`} value={reason} error={fieldErrors.reason} onChange={setReason} />
          <FormAlert message={error} />
          <FormActions />
        </form>
      ) : null}
      {step === "confirm" ? (
        <div className="space-y-4">
          <p className="text-sm">
            {t("change.confirmIntro", { name: target.name, email: target.email ?? target.userId })}
          </p>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            <li>{t("change.consequences.sessions")}</li>
            <li>{t("change.consequences.notNotified")}</li>
            <li>{t("change.consequences.unblock")}</li>
          </ul>
          <FormAlert message={error} />
          <ConfirmActions
            onBack={() => setStep("form")}
            onConfirm={onSubmit}
            isPending={isPending}
            confirmLabel={t("change.submit")}
            pendingLabel={t("change.submitting")}
          />
        </div>
      ) : null}
      {step === "done" ? (
        <div className="space-y-4">
          <p role="status" className="text-sm">
            {notice}
          </p>
          <CloseAction />
        </div>
      ) : null}
    </ActionDialog>
  );
}
