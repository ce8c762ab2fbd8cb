"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createResetTicketAction } from "@/lib/actions/passwords";
import { resultUrlSchema, TICKET_TTL_CHOICES, TICKET_TTL_DEFAULT_SEC } from "@/lib/validations/danger-zone";
import {
  ActionDialog,
  CloseAction,
  ConfirmActions,
  FormActions,
  FieldError,
  FormAlert,
  ReasonField,
  reasonError,
} from "./dialog-parts";
import type { DangerZoneTarget } from "./types";

type Step = "form" | "confirm" | "done";
type Created = { ticketUrl: string | null; expiresAt: string; isAuditComplete: boolean };

/** Danger Zone › Create reset link (a password-change ticket), shown once and never stored. */
export function ResetLinkDialog({ target }: { target: DangerZoneTarget }) {
  const t = useTranslations("dangerZone");
  const router = useRouter();
  const format = useFormatter();
  const id = useId();
  const [isOpen, setOpen] = useState(false);
  const [step, setStep] = useState<Step>("form");
  const [ttlSec, setTtlSec] = useState<number>(TICKET_TTL_DEFAULT_SEC);
  const [isMarkVerified, setMarkVerified] = useState(false);
  const [resultUrl, setResultUrl] = useState("");
  const [reason, setReason] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ reason?: string; resultUrl?: string }>({});
  const [idempotencyKey, setIdempotencyKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [isPending, startTransition] = useTransition();

  function onOpenChange(open: boolean) {
    // After a change, show the profile's new state (last reset, history) once the dialog closes;
    // doing it here rather than in the action keeps the re-render out of the action's response.
    if (!open && step === "done") router.refresh();
    // The link leaves React state as soon as the dialog closes.
    setCreated(null);
    setStep("form");
    setTtlSec(TICKET_TTL_DEFAULT_SEC);
    setMarkVerified(false);
    setResultUrl("");
    setReason("");
    setFieldErrors({});
    setError(null);
    setIdempotencyKey(open ? crypto.randomUUID() : "");
    setOpen(open);
  }

  function onContinue(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors = {
      reason: reasonError(reason, (key) => t(`reason.${key}`)),
      resultUrl: resultUrlSchema.safeParse(resultUrl).success ? undefined : t("ticket.resultUrlInvalid"),
    };
    setFieldErrors(errors);
    if (!errors.reason && !errors.resultUrl) setStep("confirm");
  }

  function onSubmit() {
    setError(null);
    startTransition(async () => {
      const result = await createResetTicketAction({
        userId: target.userId,
        reason,
        idempotencyKey,
        ttlSec,
        markEmailAsVerified: isMarkVerified,
        resultUrl,
      });
      if (result.ok) {
        setCreated({
          ticketUrl: result.data.ticketUrl,
          expiresAt: result.data.expiresAt,
          isAuditComplete: result.data.isAuditComplete,
        });
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
      triggerLabel={t("ticket.button")}
      title={step === "done" ? t("ticket.successTitle") : t("ticket.title")}
      description={step === "done" ? undefined : t("ticket.description", { name: target.name })}
    >
      {step === "form" ? (
        <form onSubmit={onContinue} noValidate className="space-y-4">
          <div className="space-y-1">
            <Label htmlFor={`${id}-ttl`}>{t("ticket.lifetime")}</Label>
            <select
              id={`${id}-ttl`}
              value={ttlSec}
              onChange={(event) => setTtlSec(Number(event.target.value))}
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
              checked={isMarkVerified}
              onChange={(event) => setMarkVerified(event.target.checked)}
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
              value={resultUrl}
              onChange={(event) => setResultUrl(event.target.value)}
              aria-invalid={fieldErrors.resultUrl ? true : undefined}
              aria-describedby={`${id}-result-url-hint${fieldErrors.resultUrl ? ` ${id}-result-url-error` : ""}`}
            />
            <p id={`${id}-result-url-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("ticket.resultUrlHint")}
            </p>
            <FieldError id={`${id}-result-url-error`} message={fieldErrors.resultUrl} />
          </div>
          <ReasonField id={`${id}-reason`} value={reason} error={fieldErrors.reason} onChange={setReason} />
          <FormActions />
        </form>
      ) : null}
      {step === "confirm" ? (
        <div className="space-y-4">
          <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
            <p className="font-semibold">{t("ticket.warningTitle")}</p>
            <p className="mt-1">{t("ticket.warning")}</p>
          </div>
          <FormAlert message={error} />
          <ConfirmActions
            onBack={() => setStep("form")}
            onConfirm={onSubmit}
            isPending={isPending}
            confirmLabel={t("ticket.submit")}
            pendingLabel={t("ticket.submitting")}
          />
        </div>
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
