"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
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
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/users/relative-time";
import { listMfaMethodsAction, resetMfaAction } from "@/lib/actions/account";
import type { AuthenticationMethodSummary } from "@/lib/auth0/mfa";
import { reasonSchema } from "@/lib/validations/danger-zone";

const formSchema = z.object({ reason: reasonSchema });
const DEFAULT_VALUES = { reason: "" };
const KNOWN_TYPES = new Set([
  "totp",
  "phone",
  "email",
  "push",
  "webauthn-roaming",
  "webauthn-platform",
  "passkey",
  "recovery-code",
  "guardian",
]);

/** What is being removed: one method, or all of them (`method` null). */
type Selection = { method: AuthenticationMethodSummary | null };

/**
 * Account › Reset MFA: lists the user's enrolled methods (read fresh when the dialog opens),
 * then removes one or all of them with a reason and a confirm step.
 */
export function ResetMfaDialog({ userId, userName }: { userId: string; userName: string }) {
  const t = useTranslations("account.mfa");
  const id = useId();
  const [selection, setSelection] = useState<Selection | null>(null);
  const dialog = useDangerZoneForm({
    schema: formSchema,
    defaultValues: DEFAULT_VALUES,
    submit: (values, idempotencyKey) =>
      resetMfaAction({
        userId,
        reason: values.reason,
        idempotencyKey,
        ...(selection?.method ? { methodId: selection.method.id } : {}),
      }),
  });
  const methods = useQuery({
    queryKey: ["account", "mfa-methods", userId],
    queryFn: () => listMfaMethodsAction({ userId }),
    enabled: dialog.isOpen,
    staleTime: 0,
    gcTime: 0,
  });
  const { step, form, result } = dialog;
  const typeLabel = (type: string) => (KNOWN_TYPES.has(type) ? t(`types.${type}`) : t("types.other", { type }));
  const methodName = (method: AuthenticationMethodSummary) => method.name ?? typeLabel(method.type);

  function onOpenChange(open: boolean) {
    dialog.onOpenChange(open);
    setSelection(null);
  }

  const listed = methods.data?.ok ? methods.data.data.methods : null;

  return (
    <ActionDialog
      isOpen={dialog.isOpen}
      onOpenChange={onOpenChange}
      step={selection === null ? "list" : step}
      triggerLabel={t("button")}
      triggerVariant="secondary"
      title={step === "done" ? t("successTitle") : t("title")}
      description={step === "done" ? undefined : t("description", { name: userName })}
    >
      {selection === null ? (
        <div className="space-y-4">
          {methods.isPending ? <p role="status" className="text-sm">{t("loading")}</p> : null}
          {methods.data && !methods.data.ok ? <FormAlert message={methods.data.error} /> : null}
          {listed && listed.length === 0 ? <p className="text-sm">{t("empty")}</p> : null}
          {listed && listed.length > 0 ? (
            <>
              <ul aria-label={t("caption")} className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-700 dark:border-slate-700">
                {listed.map((method) => (
                  <li key={method.id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
                    <div>
                      <p className="font-medium">
                        {typeLabel(method.type)} {method.confirmed ? null : <span>{t("unconfirmed")}</span>}
                      </p>
                      <p className="text-slate-600 dark:text-slate-400">
                        {method.name ?? "—"}
                        {" · "}
                        {t("enrolled")}: {method.createdAt ? <RelativeTime value={method.createdAt} /> : "—"}
                        {" · "}
                        {t("lastUsed")}: {method.lastAuthAt ? <RelativeTime value={method.lastAuthAt} /> : t("never")}
                      </p>
                    </div>
                    <Button
                      type="button"
                      variant="secondary"
                      size="sm"
                      aria-label={t("removeOneLabel", { type: typeLabel(method.type), name: method.name ?? "" })}
                      onClick={() => setSelection({ method })}
                    >
                      {t("removeOne")}
                    </Button>
                  </li>
                ))}
              </ul>
              <div className="flex justify-end">
                <Button type="button" variant="danger" size="sm" onClick={() => setSelection({ method: null })}>
                  {t("removeAll")}
                </Button>
              </div>
            </>
          ) : null}
        </div>
      ) : null}
      {selection !== null && step === "form" ? (
        <form onSubmit={dialog.onContinue} noValidate className="space-y-4">
          <p className="text-sm font-medium">
            {selection.method
              ? t("confirmOne", { type: typeLabel(selection.method.type), name: methodName(selection.method), user: userName })
              : t("confirmAll", { count: listed?.length ?? 0, user: userName })}
          </p>
          <ReasonField id={`${id}-reason`} registration={form.register("reason")} error={form.formState.errors.reason?.message} />
          <FormActions />
        </form>
      ) : null}
      {selection !== null && step === "confirm" ? (
        <div className="space-y-4">
          <p className="text-sm font-medium">
            {selection.method
              ? t("confirmOne", { type: typeLabel(selection.method.type), name: methodName(selection.method), user: userName })
              : t("confirmAll", { count: listed?.length ?? 0, user: userName })}
          </p>
          <FormAlert message={dialog.error} />
          <ConfirmActions
            onBack={dialog.backToForm}
            onConfirm={dialog.onConfirm}
            isPending={dialog.isPending}
            confirmLabel={t("submit")}
            pendingLabel={t("submitting")}
          />
        </div>
      ) : null}
      {selection !== null && step === "done" && result ? (
        <div className="space-y-3">
          <p role="status" className="text-sm">
            {t("success", { count: result.methodsRemoved })}
          </p>
          <CloseAction />
        </div>
      ) : null}
    </ActionDialog>
  );
}
