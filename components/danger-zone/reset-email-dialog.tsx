"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { sendResetEmailAction } from "@/lib/actions/passwords";
import {
  ActionDialog,
  CloseAction,
  ConfirmActions,
  FormActions,
  FormAlert,
  ReasonField,
  reasonError,
} from "./dialog-parts";
import type { DangerZoneTarget } from "./types";

type Step = "form" | "confirm" | "done";

/** Danger Zone › Send password reset email (Auth0's own email, through the Authentication API). */
export function ResetEmailDialog({ target }: { target: DangerZoneTarget }) {
  const t = useTranslations("dangerZone");
  const router = useRouter();
  const id = useId();
  const [isOpen, setOpen] = useState(false);
  const [step, setStep] = useState<Step>("form");
  const [reason, setReason] = useState("");
  const [reasonProblem, setReasonProblem] = useState<string | undefined>();
  const [idempotencyKey, setIdempotencyKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ emailMasked: string; isAuditComplete: boolean } | null>(null);
  const [isPending, startTransition] = useTransition();

  function onOpenChange(open: boolean) {
    // After a change, show the profile's new state (last reset, history) once the dialog closes;
    // doing it here rather than in the action keeps the re-render out of the action's response.
    if (!open && step === "done") router.refresh();
    setStep("form");
    setReason("");
    setReasonProblem(undefined);
    setError(null);
    setSent(null);
    setIdempotencyKey(open ? crypto.randomUUID() : "");
    setOpen(open);
  }

  function onContinue(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = reasonError(reason, (key) => t(`reason.${key}`));
    setReasonProblem(problem);
    if (!problem) setStep("confirm");
  }

  function onSubmit() {
    setError(null);
    startTransition(async () => {
      const result = await sendResetEmailAction({ userId: target.userId, reason, idempotencyKey });
      if (result.ok) {
        setSent({ emailMasked: result.data.emailMasked, isAuditComplete: result.data.isAuditComplete });
        setStep("done");
        return;
      }
      setError(result.error);
    });
  }

  return (
    <ActionDialog
      isOpen={isOpen}
      onOpenChange={onOpenChange}
      step={step}
      triggerLabel={t("email.button")}
      title={step === "done" ? t("email.successTitle") : t("email.title")}
      description={step === "done" ? undefined : t("email.description", { name: target.name })}
    >
      {step === "form" ? (
        <form onSubmit={onContinue} noValidate className="space-y-4">
          <ReasonField id={`${id}-reason`} value={reason} error={reasonProblem} onChange={setReason} />
          <FormActions />
        </form>
      ) : null}
      {step === "confirm" ? (
        <div className="space-y-4">
          <p className="text-sm font-medium">{t("email.confirm", { email: target.email ?? "" })}</p>
          <p className="text-sm">{t("email.confirmHint")}</p>
          <FormAlert message={error} />
          <ConfirmActions
            onBack={() => setStep("form")}
            onConfirm={onSubmit}
            isPending={isPending}
            confirmLabel={t("email.submit")}
            pendingLabel={t("email.submitting")}
          />
        </div>
      ) : null}
      {step === "done" && sent ? (
        <div className="space-y-3">
          <div role="status" className="space-y-2 text-sm">
            <p>{t("email.success", { email: sent.emailMasked })}</p>
            <p>{t("email.onlyNewest")}</p>
            <p>{t("email.lifetime")}</p>
            {sent.isAuditComplete ? null : <p>{t("auditIncomplete")}</p>}
          </div>
          <CloseAction />
        </div>
      ) : null}
    </ActionDialog>
  );
}
