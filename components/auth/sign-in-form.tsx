"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { safeCallbackPath } from "@/lib/auth/callback-url";

type Step = "password" | "second";

/** A single-use challenge for a passkey, then the browser's passkey prompt; null when cancelled. */
async function passkeyAssertion(): Promise<{ challengeId: string; passkey: string } | null> {
  const response = await fetch("/api/auth/passkey-options", { method: "POST" });
  if (!response.ok) return null;
  const { challengeId, options } = (await response.json()) as { challengeId: string; options: Parameters<typeof startAuthentication>[0]["optionsJSON"] };
  try {
    const assertion = await startAuthentication({ optionsJSON: options });
    return { challengeId, passkey: JSON.stringify(assertion) };
  } catch {
    return null;
  }
}

/**
 * Sign-in: email and password, then — for an operator with MFA — a second step in place (an
 * authenticator code, a recovery code or a passkey) before any session exists. The password is
 * sent again with the second factor (the server checks both; nothing is half-signed-in), and it
 * leaves memory with the page. A passkey alone also signs in (passwordless).
 */
export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const t = useTranslations("auth.signIn");
  const ts = useTranslations("security.signIn");
  const [error, setError] = useState<string | null>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const [step, setStep] = useState<Step>("password");
  const [credentials, setCredentials] = useState<{ email: string; password: string }>({ email: "", password: "" });
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);

  function messageFor(code: string | undefined): string {
    switch (code) {
      case "throttled":
        return t("throttled");
      case "slowed":
        return t("slowed");
      case "CredentialsSignin":
        return step === "second" ? ts("passkeyFailed") : t("invalid");
      case "mfa_invalid":
        return ts("wrongCode");
      case "mfa_replayed":
        return ts("replayed");
      default:
        return t("failed");
    }
  }

  async function attempt(provider: "credentials" | "passkey", fields: Record<string, string>) {
    setSubmitting(true);
    setError(null);
    try {
      const result = await signIn(provider, { ...fields, redirect: false });
      if (result?.ok && !result.error) {
        // Only a path on this origin, judged after URL parsing (no open redirect). A full
        // navigation, not router.replace + router.refresh: those two raced, and under load the
        // Users page could render with /sign-in left in the address bar.
        window.location.replace(safeCallbackPath(callbackUrl, window.location.origin));
        return;
      }
      if (result?.error === "mfa_required") {
        setStep("second");
      } else {
        setError(messageFor(result?.error ?? undefined));
      }
    } catch {
      setError(t("failed"));
    }
    setSubmitting(false);
  }

  async function onPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError(t("required"));
      return;
    }
    setCredentials({ email, password });
    await attempt("credentials", { email, password });
  }

  async function onSecond(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = String(form.get(useRecoveryCode ? "recoveryCode" : "code") ?? "").trim();
    if (!value) {
      setError(ts(useRecoveryCode ? "recoveryRequired" : "codeRequired"));
      return;
    }
    await attempt("credentials", { ...credentials, [useRecoveryCode ? "recoveryCode" : "code"]: value });
  }

  async function onPasskey(withPassword: boolean) {
    setError(null);
    const assertion = await passkeyAssertion();
    if (!assertion) {
      setError(ts("passkeyCancelled"));
      return;
    }
    await (withPassword ? attempt("credentials", { ...credentials, ...assertion }) : attempt("passkey", assertion));
  }

  const errorRegion = (
    <div aria-live="polite" id="sign-in-error" className="min-h-5 text-sm text-red-700 dark:text-red-400" role={error ? "alert" : undefined}>
      {error}
    </div>
  );

  if (step === "second") {
    return (
      <form onSubmit={onSecond} noValidate className="space-y-4" aria-describedby={error ? "sign-in-error" : undefined}>
        <p className="text-sm text-slate-700 dark:text-slate-200">{ts(useRecoveryCode ? "recoveryIntro" : "codeIntro")}</p>
        {useRecoveryCode ? (
          <div className="space-y-1" key="recovery">
            <Label htmlFor="recoveryCode">{ts("recoveryCode")}</Label>
            <Input id="recoveryCode" name="recoveryCode" autoComplete="off" autoFocus spellCheck={false} aria-invalid={error ? true : undefined} />
          </div>
        ) : (
          <div className="space-y-1" key="code">
            <Label htmlFor="code">{ts("code")}</Label>
            <Input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" autoFocus maxLength={8} aria-invalid={error ? true : undefined} />
          </div>
        )}
        {errorRegion}
        <Button type="submit" className="w-full" disabled={isSubmitting}>
          {isSubmitting ? t("submitting") : ts("verify")}
        </Button>
        <div className="flex flex-col gap-2">
          <Button type="button" variant="secondary" onClick={() => void onPasskey(true)} disabled={isSubmitting}>
            {ts("usePasskey")}
          </Button>
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setUseRecoveryCode(!useRecoveryCode);
              setError(null);
            }}
          >
            {ts(useRecoveryCode ? "useCode" : "useRecoveryCode")}
          </Button>
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setStep("password");
              setCredentials({ email: "", password: "" });
              setError(null);
            }}
          >
            {ts("back")}
          </Button>
        </div>
      </form>
    );
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onPassword} noValidate className="space-y-4" aria-describedby={error ? "sign-in-error" : undefined}>
        <div className="space-y-1">
          <Label htmlFor="email">{t("email")}</Label>
          <Input id="email" name="email" type="email" autoComplete="username webauthn" required autoFocus aria-invalid={error ? true : undefined} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="password">{t("password")}</Label>
          <Input id="password" name="password" type="password" autoComplete="current-password" required aria-invalid={error ? true : undefined} />
        </div>
        {errorRegion}
        <Button type="submit" className="w-full" disabled={isSubmitting}>
          {isSubmitting ? t("submitting") : t("submit")}
        </Button>
      </form>
      <Button type="button" variant="secondary" className="w-full" onClick={() => void onPasskey(false)} disabled={isSubmitting}>
        {ts("signInWithPasskey")}
      </Button>
    </div>
  );
}
