"use client";

import { ApprovalRequestPanel } from "@/components/approvals/approval-request-panel";
import { useTranslations } from "next-intl";
import { useId, useMemo } from "react";
import { useWatch } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { setPasswordAction } from "@/lib/actions/passwords";
import type { PasswordPolicy } from "@/lib/auth0/types";
import { generatePassword } from "@/lib/password-policy/generate";
import { evaluatePassword, FALLBACK_POLICY } from "@/lib/password-policy/policy";
import { reasonSchema } from "@/lib/validations/danger-zone";
import {
  ActionDialog,
  CloseAction,
  ConfirmActions,
  FormActions,
  FieldError,
  FormAlert,
  ReasonField,
} from "./dialog-parts";
import { PolicyChecklist } from "./policy-checklist";
import { StrengthMeter } from "./strength-meter";
import type { DangerZoneTarget } from "./types";
import { useDangerZoneForm } from "./use-danger-zone-form";
import { SignOutEverywhereOption, SignOutOutcomeText } from "@/components/account/sign-out-option";

/** A copied generated password leaves the clipboard after this long (if it is still there). */
const CLIPBOARD_CLEAR_MS = 60_000;

type FormValues = {
  password: string;
  confirmation: string;
  reason: string;
  isRevealed: boolean;
  /** Whether the password came from Generate (recorded in the audit log; never the password). */
  isGenerated: boolean;
  /** Sign the user out everywhere afterwards (offered with sessions:revoke; on by default). */
  signOutEverywhere: boolean;
};
const DEFAULT_VALUES: FormValues = {
  password: "",
  confirmation: "",
  reason: "",
  isRevealed: false,
  isGenerated: false,
  signOutEverywhere: true,
};

/** Message codes of the rules the form can check itself (see passwordMessage). */
const REFUSAL_CODES = { strength: "policy_not_met", dictionary: "dictionary_word", personalInfo: "personal_info" } as const;

/** The form step's checks; the messages are codes (see passwordMessage), Auth0 decides in the end. */
function changePasswordSchema(policy: PasswordPolicy, personalInfo: readonly string[]) {
  return z
    .object({
      // Not trimmed: spaces are legal in a password.
      password: z
        .string()
        .min(1, "password_required")
        .superRefine((value, context) => {
          const refusal = value === "" ? null : evaluatePassword(policy, value, personalInfo).refusal;
          if (refusal) context.addIssue({ code: "custom", message: REFUSAL_CODES[refusal] });
        }),
      confirmation: z.string(),
      reason: reasonSchema,
      isRevealed: z.boolean(),
      isGenerated: z.boolean(),
      signOutEverywhere: z.boolean(),
    })
    .refine((values) => values.confirmation === values.password, { path: ["confirmation"], message: "mismatch" });
}

/** Danger Zone › Change password: new password + confirmation, policy checklist, reason, confirm step. */
export function ChangePasswordDialog({ target }: { target: DangerZoneTarget }) {
  const t = useTranslations("dangerZone");
  const id = useId();
  const policy = target.passwordPolicy ?? FALLBACK_POLICY;
  const schema = useMemo(() => changePasswordSchema(policy, target.personalInfo), [policy, target.personalInfo]);
  // The password leaves the hook's form state whenever the dialog closes, whatever the step,
  // and as soon as Auth0 has accepted it.
  const dialog = useDangerZoneForm({
    schema,
    defaultValues: DEFAULT_VALUES,
    submit: (values, idempotencyKey) =>
      setPasswordAction({
        userId: target.userId,
        password: values.password,
        reason: values.reason,
        idempotencyKey,
        generated: values.isGenerated,
        signOutEverywhere: target.canSignOutEverywhere && values.signOutEverywhere,
      }),
  });
  const { step, form } = dialog;
  const errors = form.formState.errors;
  const [password, isRevealed, isGenerated] = useWatch({
    control: form.control,
    name: ["password", "isRevealed", "isGenerated"],
  });
  const changed = dialog.result;
  const notice = changed
    ? changed.isAuditComplete
      ? t("change.success", { name: target.name, connection: changed.connection })
      : `${t("change.success", { name: target.name, connection: changed.connection })} ${t("auditIncomplete")}`
    : null;

  function onGenerate() {
    const generated = generatePassword(policy);
    form.setValue("password", generated);
    form.setValue("confirmation", generated);
    form.setValue("isRevealed", true);
    form.setValue("isGenerated", true);
    form.clearErrors(["password", "confirmation"]);
  }

  /** Client codes are translated; a server verdict (Auth0's policy message) is shown as it came. */
  function passwordMessage(message: string | undefined): string | undefined {
    if (message === "password_required") return t("change.required");
    if (message === "policy_not_met") return t("change.policyNotMet");
    if (message === "dictionary_word") return t("passwordChecks.dictionaryError");
    if (message === "personal_info") return t("passwordChecks.personalInfoError");
    if (message === "mismatch") return t("change.mismatch");
    return message;
  }
  const passwordError = passwordMessage(errors.password?.message);
  const confirmationError = passwordMessage(errors.confirmation?.message);
  const passwordRegistration = form.register("password", {
    // Typing over a generated password makes it the operator's own.
    onChange: () => form.setValue("isGenerated", false),
  });

  const evaluation = useMemo(
    () => evaluatePassword(policy, password, target.personalInfo),
    [policy, password, target.personalInfo],
  );
  // The connection's own forbidden words and the user's profile count as guessable for zxcvbn.
  const strengthInputs = useMemo(
    () => [...target.userInputs, ...policy.dictionary.words, ...target.personalInfo],
    [target.userInputs, target.personalInfo, policy.dictionary.words],
  );
  const passwordType = isRevealed ? "text" : "password";
  const passwordDescribedBy = [`${id}-policy`, passwordError ? `${id}-password-error` : null]
    .filter(Boolean)
    .join(" ");

  return (
    <ActionDialog
      isOpen={dialog.isOpen}
      onOpenChange={dialog.onOpenChange}
      step={step}
      stepUp={dialog.stepUp}
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
        <form onSubmit={dialog.onContinue} noValidate className="space-y-3">
          <div className="space-y-1">
            <Label htmlFor={`${id}-password`}>{t("change.newPassword")}</Label>
            <div className="flex gap-2">
              <Input
                id={`${id}-password`}
                type={passwordType}
                autoComplete="new-password"
                spellCheck={false}
                {...passwordRegistration}
                aria-invalid={passwordError ? true : undefined}
                aria-describedby={passwordDescribedBy}
                data-autofocus
                className="font-mono"
              />
              <Button type="button" variant="secondary" onClick={onGenerate} className="shrink-0 whitespace-nowrap">
                {t("change.generate")}
              </Button>
            </div>
            <FieldError id={`${id}-password-error`} message={passwordError} />
          </div>
          {isGenerated && password !== "" ? (
            <div className="flex items-start gap-2 rounded-md bg-slate-50 p-2 text-xs sm:text-sm dark:bg-slate-800">
              <p className="flex-1">{t("change.generatedNotice")}</p>
              <CopyButton value={password} label={t("change.copyPassword")} clearAfterMs={CLIPBOARD_CLEAR_MS} />
            </div>
          ) : null}
          <div className="space-y-1">
            <Label htmlFor={`${id}-confirm`}>{t("change.confirmPassword")}</Label>
            <Input
              id={`${id}-confirm`}
              type={passwordType}
              autoComplete="new-password"
              spellCheck={false}
              {...form.register("confirmation")}
              aria-invalid={confirmationError ? true : undefined}
              aria-describedby={confirmationError ? `${id}-confirm-error` : undefined}
              className="font-mono"
            />
            <FieldError id={`${id}-confirm-error`} message={confirmationError} />
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              {...form.register("isRevealed")}
              className="h-4 w-4"
            />
            {t("change.show")}
          </label>
          <PolicyChecklist
            id={`${id}-policy`}
            policy={target.passwordPolicy}
            connection={target.connection}
            password={password}
            evaluation={evaluation}
          />
          <StrengthMeter password={password} userInputs={strengthInputs} refusal={evaluation.refusal} />
          <ReasonField
            id={`${id}-reason`}
            registration={form.register("reason")}
            error={errors.reason?.message}
          />
          {target.canSignOutEverywhere ? (
            <SignOutEverywhereOption id={`${id}-sign-out`} registration={form.register("signOutEverywhere")} />
          ) : null}
          <FormAlert message={dialog.error} />
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
          <FormAlert message={dialog.error} />
          <ConfirmActions
            onBack={dialog.backToForm}
            onConfirm={dialog.onConfirm}
            isPending={dialog.isPending}
            confirmLabel={t("change.submit")}
            pendingLabel={t("change.submitting")}
          />
        </div>
      ) : null}
      {step === "approval" ? (
        <ApprovalRequestPanel
          userId={target.userId}
          userName={target.name}
          reason={form.getValues("reason")}
          terms={{ operation: "password.set", signOutEverywhere: target.canSignOutEverywhere && form.getValues("signOutEverywhere") }}
          message={dialog.error}
          onBack={dialog.backToForm}
        />
      ) : null}
      {step === "done" ? (
        <div className="space-y-4">
          <div role="status" className="space-y-2">
            <p className="text-sm">{notice}</p>
            <SignOutOutcomeText outcome={changed?.signOut} />
          </div>
          <CloseAction />
        </div>
      ) : null}
    </ActionDialog>
  );
}
