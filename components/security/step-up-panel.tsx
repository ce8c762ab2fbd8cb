"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useTranslations } from "next-intl";
import { useId, useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { stepUpAction, stepUpPasskeyOptionsAction } from "@/lib/actions/security";

/**
 * "Confirm it's you" in place (step-up): the password plus, when the operator has MFA, a code
 * from the app or a recovery code — or a passkey. On success the caller retries what it was
 * doing; the caller's own form state is untouched. The password leaves memory afterwards.
 */
export function StepUpPanel({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel?: () => void }) {
  const t = useTranslations("security.stepUp");
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [needsCode, setNeedsCode] = useState(false);
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [isPending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    event.stopPropagation();
    const form = event.currentTarget;
    const data = new FormData(form);
    const password = String(data.get("password") ?? "");
    const code = String(data.get("code") ?? "").trim();
    const recoveryCode = String(data.get("recoveryCode") ?? "").trim();
    if (!password) {
      setError(t("passwordRequired"));
      return;
    }
    setError(null);
    startTransition(async () => {
      const result = await stepUpAction({ password, ...(code ? { code } : {}), ...(recoveryCode ? { recoveryCode } : {}) });
      if (result.ok) {
        form.reset();
        onConfirmed();
        return;
      }
      if (result.fieldErrors?.code) setNeedsCode(true);
      setError(result.error);
    });
  }

  function onPasskey() {
    setError(null);
    startTransition(async () => {
      const options = await stepUpPasskeyOptionsAction({ confirm: true });
      if (!options.ok) {
        setError(options.error);
        return;
      }
      let assertion;
      try {
        assertion = await startAuthentication({ optionsJSON: options.data.options });
      } catch {
        setError(t("passkeyCancelled"));
        return;
      }
      const result = await stepUpAction({ challengeId: options.data.challengeId, passkey: JSON.stringify(assertion) });
      if (result.ok) onConfirmed();
      else setError(result.error);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-labelledby={`${id}-title`} aria-describedby={`${id}-intro`}>
      <h3 id={`${id}-title`} className="font-semibold">
        {t("title")}
      </h3>
      <p id={`${id}-intro`} className="text-sm text-slate-600 dark:text-slate-300">
        {t("intro")}
      </p>
      <div className="space-y-1">
        <Label htmlFor={`${id}-password`}>{t("password")}</Label>
        <Input id={`${id}-password`} name="password" type="password" autoComplete="current-password" data-autofocus autoFocus />
      </div>
      {needsCode ? (
        useRecoveryCode ? (
          <div className="space-y-1">
            <Label htmlFor={`${id}-recovery`}>{t("recoveryCode")}</Label>
            <Input id={`${id}-recovery`} name="recoveryCode" autoComplete="off" spellCheck={false} />
          </div>
        ) : (
          <div className="space-y-1">
            <Label htmlFor={`${id}-code`}>{t("code")}</Label>
            <Input id={`${id}-code`} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={8} />
          </div>
        )
      ) : null}
      <div role="alert" aria-live="assertive" className="min-h-5 text-sm text-red-700 dark:text-red-400">
        {error}
      </div>
      <div className="flex flex-wrap justify-end gap-2">
        {onCancel ? (
          <Button type="button" variant="secondary" onClick={onCancel} disabled={isPending}>
            {t("cancel")}
          </Button>
        ) : null}
        {needsCode ? (
          <Button type="button" variant="ghost" onClick={() => setUseRecoveryCode(!useRecoveryCode)} disabled={isPending}>
            {t(useRecoveryCode ? "useCode" : "useRecoveryCode")}
          </Button>
        ) : null}
        <Button type="button" variant="secondary" onClick={onPasskey} disabled={isPending}>
          {t("usePasskey")}
        </Button>
        <Button type="submit" disabled={isPending}>
          {isPending ? t("confirming") : t("confirm")}
        </Button>
      </div>
    </form>
  );
}
