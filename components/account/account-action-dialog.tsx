"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { z } from "zod";
import {
  ActionDialog,
  CloseAction,
  ConfirmActions,
  FormActions,
  FormAlert,
  ReasonField,
} from "@/components/danger-zone/dialog-parts";
import { useDangerZoneForm } from "@/components/danger-zone/use-danger-zone-form";
import {
  adminUnblockAccountAction,
  blockAccountAction,
  resendVerificationEmailAction,
  signOutEverywhereAction,
  unblockAccountAction,
} from "@/lib/actions/account";
import type { ActionResult } from "@/lib/actions/safe-action";
import { reasonSchema } from "@/lib/validations/danger-zone";

/** The account actions that are one reason → confirm → result (Reset MFA has its own dialog). */
export type AccountActionKind = "unblock" | "block" | "adminUnblock" | "signOut" | "verify";

type AnyResult = {
  isAuditComplete: boolean;
  blocksLifted?: number;
  sessionsEnded?: number;
  refreshTokensRevoked?: number;
  emailMasked?: string;
};

type ActionInput = { userId: string; reason: string; idempotencyKey: string };

const ACTIONS: Record<AccountActionKind, (input: ActionInput) => Promise<ActionResult<AnyResult>>> = {
  unblock: unblockAccountAction,
  block: blockAccountAction,
  adminUnblock: adminUnblockAccountAction,
  signOut: signOutEverywhereAction,
  verify: resendVerificationEmailAction,
};

const formSchema = z.object({ reason: reasonSchema });
const DEFAULT_VALUES = { reason: "" };

/**
 * One account action as a Radix dialog: reason, confirm, result (with the counts the server
 * answered). Rendered only for an operator whose role allows the action; the server checks again.
 */
export function AccountActionDialog({
  kind,
  userId,
  userName,
  email = null,
}: {
  kind: AccountActionKind;
  userId: string;
  userName: string;
  /** Shown in the verification email's confirm step. */
  email?: string | null;
}) {
  const t = useTranslations("account");
  const id = useId();
  const dialog = useDangerZoneForm({
    schema: formSchema,
    defaultValues: DEFAULT_VALUES,
    submit: (values, idempotencyKey) => ACTIONS[kind]({ userId, reason: values.reason, idempotencyKey }),
  });
  const { step, form, result } = dialog;

  return (
    <ActionDialog
      isOpen={dialog.isOpen}
      onOpenChange={dialog.onOpenChange}
      step={step}
      triggerLabel={t(`${kind}.button`)}
      triggerVariant={kind === "block" || kind === "signOut" ? "danger" : "secondary"}
      title={step === "done" ? t(`${kind}.successTitle`) : t(`${kind}.title`)}
      description={step === "done" ? undefined : t(`${kind}.description`, { name: userName })}
    >
      {step === "form" ? (
        <form onSubmit={dialog.onContinue} noValidate className="space-y-4">
          <ReasonField id={`${id}-reason`} registration={form.register("reason")} error={form.formState.errors.reason?.message} />
          <FormActions />
        </form>
      ) : null}
      {step === "confirm" ? (
        <div className="space-y-4">
          <p className="text-sm font-medium">{t(`${kind}.confirm`, { name: userName, email: email ?? "" })}</p>
          <FormAlert message={dialog.error} />
          <ConfirmActions
            onBack={dialog.backToForm}
            onConfirm={dialog.onConfirm}
            isPending={dialog.isPending}
            confirmLabel={t(`${kind}.submit`)}
            pendingLabel={t(`${kind}.submitting`)}
          />
        </div>
      ) : null}
      {step === "done" && result ? (
        <div className="space-y-3">
          <div role="status" className="space-y-2 text-sm">
            <p>
              {t(`${kind}.success`, {
                name: userName,
                count: result.blocksLifted ?? 0,
                sessions: result.sessionsEnded ?? 0,
                tokens: result.refreshTokensRevoked ?? 0,
                email: result.emailMasked ?? "",
              })}
            </p>
            {result.isAuditComplete ? null : <p>{t("auditIncomplete")}</p>}
          </div>
          <CloseAction />
        </div>
      ) : null}
    </ActionDialog>
  );
}
