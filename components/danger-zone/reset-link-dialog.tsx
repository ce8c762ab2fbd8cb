"use client";

import { ApprovalRequestPanel } from "@/components/approvals/approval-request-panel";
import { useFormatter, useTranslations } from "next-intl";
import { useId } from "react";
import { z } from "zod";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createResetTicketAction } from "@/lib/actions/passwords";
import {
  reasonSchema,
  resultUrlSchema,
  TICKET_TTL_CHOICES,
  TICKET_TTL_DEFAULT_SEC,
} from "@/lib/validations/danger-zone";
import {
  ActionDialog,
  CloseAction,
  ConfirmActions,
  FormActions,
  FieldError,
  FormAlert,
  ReasonField,
} from "./dialog-parts";
import type { DangerZoneTarget } from "./types";
import { useDangerZoneForm } from "./use-danger-zone-form";

const formSchema = z.object({
  ttlSec: z.number(),
  markEmailAsVerified: z.boolean(),
  resultUrl: resultUrlSchema,
  reason: reasonSchema,
});
type FormValues = { ttlSec: number; markEmailAsVerified: boolean; resultUrl: string; reason: string };
const DEFAULT_VALUES: FormValues = {
  ttlSec: TICKET_TTL_DEFAULT_SEC,
  markEmailAsVerified: false,
  resultUrl: "",
  reason: "",
};

/** Danger Zone › Create reset link (a password-change ticket), shown once and never stored. */
export function ResetLinkDialog({ target }: { target: DangerZoneTarget }) {
  const t = useTranslations("dangerZone");
  const format = useFormatter();
  const id = useId();
  // The link lives in the hook's result only, which is dropped as soon as the dialog closes.
  const dialog = useDangerZoneForm({
    schema: formSchema,
    defaultValues: DEFAULT_VALUES,
    submit: (values, idempotencyKey) =>
      createResetTicketAction({
        userId: target.userId,
        reason: values.reason,
        idempotencyKey,
        ttlSec: values.ttlSec,
        markEmailAsVerified: values.markEmailAsVerified,
        resultUrl: values.resultUrl,
      }),
  });
  const { step, form } = dialog;
  const errors = form.formState.errors;
  const created = dialog.result;
  // The server's verdict (a host outside RESET_RESULT_URL_HOSTS) comes already localized.
  const resultUrlError = errors.resultUrl
    ? errors.resultUrl.type === "server" && errors.resultUrl.message
      ? errors.resultUrl.message
      : t("ticket.resultUrlInvalid")
    : undefined;

  return (
    <ActionDialog
      isOpen={dialog.isOpen}
      onOpenChange={dialog.onOpenChange}
      step={step}
      stepUp={dialog.stepUp}
      triggerLabel={t("ticket.button")}
      title={step === "done" ? t("ticket.successTitle") : t("ticket.title")}
      description={step === "done" ? undefined : t("ticket.description", { name: target.name })}
    >
      {step === "form" ? (
        <form onSubmit={dialog.onContinue} noValidate className="space-y-4">
          <div className="space-y-1">
            <Label htmlFor={`${id}-ttl`}>{t("ticket.lifetime")}</Label>
            <select
              id={`${id}-ttl`}
              {...form.register("ttlSec", { valueAsNumber: true })}
              className="h-10 w-full rounded-md border border-slate-300 bg-white px-3 text-sm dark:border-slate-600 dark:bg-slate-900"
            >
              {TICKET_TTL_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {t(`ticket.lifetimes.${choice}`)}
                </option>
              ))}
            </select>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              {...form.register("markEmailAsVerified")}
              className="h-4 w-4"
            />
            {t("ticket.markEmailVerified")}
          </label>
          <div className="space-y-1">
            <Label htmlFor={`${id}-result-url`}>{t("ticket.resultUrl")}</Label>
            <Input
              id={`${id}-result-url`}
              type="url"
              inputMode="url"
              placeholder="https://"
              {...form.register("resultUrl")}
              aria-invalid={resultUrlError ? true : undefined}
              aria-describedby={`${id}-result-url-hint${resultUrlError ? ` ${id}-result-url-error` : ""}`}
            />
            <p id={`${id}-result-url-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("ticket.resultUrlHint")}
            </p>
            <FieldError id={`${id}-result-url-error`} message={resultUrlError} />
          </div>
          <ReasonField
            id={`${id}-reason`}
            registration={form.register("reason")}
            error={errors.reason?.message}
          />
          <FormActions />
        </form>
      ) : null}
      {step === "confirm" ? (
        <div className="space-y-4">
          <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
            <p className="font-semibold">{t("ticket.warningTitle")}</p>
            <p className="mt-1">{t("ticket.warning")}</p>
          </div>
          <FormAlert message={dialog.error} />
          <ConfirmActions
            onBack={dialog.backToForm}
            onConfirm={dialog.onConfirm}
            isPending={dialog.isPending}
            confirmLabel={t("ticket.submit")}
            pendingLabel={t("ticket.submitting")}
          />
        </div>
      ) : null}
      {step === "approval" ? (
        <ApprovalRequestPanel
          userId={target.userId}
          userName={target.name}
          reason={form.getValues("reason")}
          terms={{
            operation: "password.ticket",
            ttlSec: form.getValues("ttlSec"),
            markEmailAsVerified: form.getValues("markEmailAsVerified"),
            resultUrl: (form.getValues("resultUrl") ?? "").trim() || null,
          }}
          message={dialog.error}
          onBack={dialog.backToForm}
        />
      ) : null}
      {step === "done" && created ? (
        <div className="space-y-4">
          {created.ticketUrl ? (
            <>
              <div className="space-y-1">
                <Label htmlFor={`${id}-link`}>{t("ticket.linkLabel")}</Label>
                <div className="flex gap-2">
                  <Input
                    id={`${id}-link`}
                    readOnly
                    value={created.ticketUrl}
                    className="font-mono text-xs"
                    onFocus={(event) => event.currentTarget.select()}
                  />
                  <CopyButton value={created.ticketUrl} label={t("ticket.copyLink")} />
                </div>
              </div>
              <p role="status" className="text-sm">
                {t("ticket.shownOnce")}{" "}
                {t("ticket.expires", {
                  expiresAt: format.dateTime(new Date(created.expiresAt), {
                    dateStyle: "medium",
                    timeStyle: "short",
                  }),
                })}
              </p>
            </>
          ) : (
            <p role="status" className="text-sm">
              {t("ticket.alreadyCreated")}
            </p>
          )}
          {created.isAuditComplete ? null : <p className="text-sm">{t("auditIncomplete")}</p>}
          <CloseAction />
        </div>
      ) : null}
    </ActionDialog>
  );
}
