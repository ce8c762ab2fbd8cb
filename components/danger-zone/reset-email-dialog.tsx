"use client";

import { ApprovalRequestPanel } from "@/components/approvals/approval-request-panel";
import { useTranslations } from "next-intl";
import { useId } from "react";
import { z } from "zod";
import { sendResetEmailAction } from "@/lib/actions/passwords";
import { reasonSchema } from "@/lib/validations/danger-zone";
import { ActionDialog, CloseAction, ConfirmActions, FormActions, FormAlert, ReasonField } from "./dialog-parts";
import type { DangerZoneTarget } from "./types";
import { useDangerZoneForm } from "./use-danger-zone-form";

const formSchema = z.object({ reason: reasonSchema });
const DEFAULT_VALUES = { reason: "" };

/** Danger Zone › Send password reset email (Auth0's own email, through the Authentication API). */
export function ResetEmailDialog({ target }: { target: DangerZoneTarget }) {
  const t = useTranslations("dangerZone");
  const id = useId();
  const dialog = useDangerZoneForm({
    schema: formSchema,
    defaultValues: DEFAULT_VALUES,
    submit: (values, idempotencyKey) =>
      sendResetEmailAction({ userId: target.userId, reason: values.reason, idempotencyKey }),
  });
  const { step, form } = dialog;
  const sent = dialog.result;

  return (
    <ActionDialog
      isOpen={dialog.isOpen}
      onOpenChange={dialog.onOpenChange}
      step={step}
      stepUp={dialog.stepUp}
      triggerLabel={t("email.button")}
      title={step === "done" ? t("email.successTitle") : t("email.title")}
      description={step === "done" ? undefined : t("email.description", { name: target.name })}
    >
      {step === "form" ? (
        <form onSubmit={dialog.onContinue} noValidate className="space-y-4">
          <ReasonField
            id={`${id}-reason`}
            registration={form.register("reason")}
            error={form.formState.errors.reason?.message}
          />
          <FormActions />
        </form>
      ) : null}
      {step === "confirm" ? (
        <div className="space-y-4">
          <p className="text-sm font-medium">{t("email.confirm", { email: target.email ?? "" })}</p>
          <p className="text-sm">{t("email.confirmHint")}</p>
          <FormAlert message={dialog.error} />
          <ConfirmActions
            onBack={dialog.backToForm}
            onConfirm={dialog.onConfirm}
            isPending={dialog.isPending}
            confirmLabel={t("email.submit")}
            pendingLabel={t("email.submitting")}
          />
        </div>
      ) : null}
      {step === "approval" ? (
        <ApprovalRequestPanel
          userId={target.userId}
          userName={target.name}
          reason={form.getValues("reason")}
          terms={{ operation: "password.reset_email" }}
          message={dialog.error}
          onBack={dialog.backToForm}
        />
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
