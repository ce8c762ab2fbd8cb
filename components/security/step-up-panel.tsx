"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, useSyncExternalStore, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { stepUpAction, stepUpPasskeyOptionsAction } from "@/lib/actions/security";
import { OIDC_NAME_META, parseStepUpSsoResult, STEP_UP_SSO_MESSAGE, STEP_UP_SSO_START_PATH } from "@/lib/auth/step-up-sso";

/** The IdP's display name when OIDC is configured (the root layout's <meta>; no secrets). */
const noSubscription = () => () => undefined;
function useSsoName(): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => document.querySelector<HTMLMetaElement>(`meta[name="${OIDC_NAME_META}"]`)?.content || null,
    () => null,
  );
}

/**
 * "Confirm it's you" in place (step-up): the password plus, when the operator has MFA, a code
 * from the app or a recovery code — or a passkey, or the IdP in a popup (prompt=login,
 * max_age=0; the server checks the ID token's auth_time and identity). On success the caller retries what it was
 * doing; the caller's own form state is untouched. The password leaves memory afterwards.
 */
export function StepUpPanel({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel?: () => void }) {
  const t = useTranslations("security.stepUp");
  const tSso = useTranslations("security.stepUp.sso");
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [needsCode, setNeedsCode] = useState(false);
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [isPending, startTransition] = useTransition();
  const ssoName = useSsoName();
  const [ssoWaiting, setSsoWaiting] = useState(false);
  const popupCleanup = useRef<(() => void) | null>(null);
  useEffect(() => () => popupCleanup.current?.(), []);

  function onSso() {
    if (!ssoName) return;
    setError(null);
    popupCleanup.current?.();
    const popup = window.open(STEP_UP_SSO_START_PATH, "passdesk-step-up-sso", "popup,width=520,height=720");
    if (!popup) {
      setError(tSso("popupBlocked"));
      return;
    }
    setSsoWaiting(true);
    // The popup reports on a same-origin BroadcastChannel, not through window.opener: Passdesk
    // sends Cross-Origin-Opener-Policy: same-origin, so once the popup has been to the IdP (another
    // origin) it is in another browsing context group — no opener, and `popup.closed` reads true
    // at once. Waiting ends with the popup's answer or with the operator's Cancel.
    const channel = new BroadcastChannel(STEP_UP_SSO_MESSAGE);
    const finish = () => {
      channel.close();
      popupCleanup.current = null;
      setSsoWaiting(false);
    };
    channel.onmessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; result?: unknown } | null;
      if (data?.type !== STEP_UP_SSO_MESSAGE) return;
      const result = parseStepUpSsoResult(data.result);
      if (!result) return;
      finish();
      // The retried action checks freshness on the server anyway.
      if (result === "ok") onConfirmed();
      else setError(tSso(`errors.${result}`, { name: ssoName ?? "" }));
    };
    popupCleanup.current = finish;
  }

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
      {ssoWaiting ? (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          {tSso("waiting", { name: ssoName ?? "" })}
        </p>
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
        {ssoName ? (
          <Button type="button" variant="secondary" onClick={onSso} disabled={isPending || ssoWaiting}>
            {tSso("confirmWith", { name: ssoName })}
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
