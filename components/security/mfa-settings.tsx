"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  addPasskeyAction,
  beginTotpEnrolmentAction,
  confirmTotpEnrolmentAction,
  passkeyRegistrationOptionsAction,
  regenerateRecoveryCodesAction,
  removePasskeyAction,
  removeTotpAction,
} from "@/lib/actions/security";
import type { ActionResult } from "@/lib/actions/safe-action";
import { useStepUp } from "./use-step-up";

export type MfaStatusView = {
  hasTotp: boolean;
  recoveryCodesLeft: number;
  passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
};

const SECTION = "space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900";

/** Recovery codes, shown once right after they were made; they leave memory with "Done". */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useTranslations("security.recovery");
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950">
      <p className="text-sm font-medium">{t("showOnce")}</p>
      <ul aria-label={t("listLabel")} className="grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex gap-2">
        <CopyButton value={codes.join("\n")} />
        <Button type="button" size="sm" onClick={onDone} data-autofocus>
          {t("saved")}
        </Button>
      </div>
    </div>
  );
}

/** Authenticator app (TOTP), recovery codes and passkeys of the signed-in operator. */
export function MfaSettings({ status }: { status: MfaStatusView }) {
  const t = useTranslations("security");
  const format = useFormatter();
  const router = useRouter();
  const id = useId();
  const [enrolment, setEnrolment] = useState<{ secret: string; qrCode: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const { needsStepUp, stepUpPanel } = useStepUp();

  function run<T>(call: () => Promise<ActionResult<T>>, onSuccess: (data: T) => void) {
    setError(null);
    setMessage(null);
    startTransition(async () => {
      const result = await call();
      if (needsStepUp(result, () => run(call, onSuccess))) return;
      if (!result.ok) {
        setError(result.error);
        return;
      }
      onSuccess(result.data);
      router.refresh();
    });
  }

  function afterRemoval(data: { isSignedOut: boolean }) {
    // Removing the last factor ends every session, this one too.
    if (data.isSignedOut) router.replace("/sign-in");
    else setMessage(t("removed"));
  }

  function onConfirmTotp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    run(
      () => confirmTotpEnrolmentAction({ code }),
      (data) => {
        setEnrolment(null);
        setMessage(t("totp.enabled"));
        if (data.recoveryCodes) setCodes(data.recoveryCodes);
      },
    );
  }

  function onAddPasskey(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "").trim() || t("passkeys.defaultName");
    setError(null);
    startTransition(async () => {
      const options = await passkeyRegistrationOptionsAction({ confirm: true });
      if (!options.ok) {
        setError(options.error);
        return;
      }
      let registration;
      try {
        registration = await startRegistration({ optionsJSON: options.data.options });
      } catch {
        setError(t("passkeys.cancelled"));
        return;
      }
      const result = await addPasskeyAction({ challengeId: options.data.challengeId, registration: JSON.stringify(registration), name });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      form.reset();
      setMessage(t("passkeys.added"));
      if (result.data.recoveryCodes) setCodes(result.data.recoveryCodes);
      router.refresh();
    });
  }

  return (
    <div className="space-y-4">
      {stepUpPanel}
      {codes ? <RecoveryCodes codes={codes} onDone={() => setCodes(null)} /> : null}
      <div role="alert" aria-live="assertive" className="text-sm text-red-700 dark:text-red-400">
        {error}
      </div>
      <p aria-live="polite" className="text-sm text-green-800 dark:text-green-300">
        {message}
      </p>

      <section aria-labelledby={`${id}-totp`} className={SECTION}>
        <h2 id={`${id}-totp`} className="font-semibold">
          {t("totp.title")}
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">{status.hasTotp ? t("totp.on") : t("totp.off")}</p>
        {status.hasTotp ? (
          <Button type="button" size="sm" variant="danger" disabled={isPending} onClick={() => run(() => removeTotpAction({ confirm: true }), afterRemoval)}>
            {t("totp.remove")}
          </Button>
        ) : enrolment ? (
          <form onSubmit={onConfirmTotp} noValidate className="space-y-3">
            <p className="text-sm">{t("totp.scan")}</p>
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server */}
            <img src={enrolment.qrCode} alt={t("totp.qrAlt")} width={220} height={220} className="rounded bg-white p-1" />
            <div className="space-y-1">
              <Label htmlFor={`${id}-secret`}>{t("totp.secret")}</Label>
              <Input id={`${id}-secret`} readOnly value={enrolment.secret} className="font-mono" />
            </div>
            <div className="space-y-1">
              <Label htmlFor={`${id}-code`}>{t("totp.code")}</Label>
              <Input id={`${id}-code`} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </div>
            <Button type="submit" size="sm" disabled={isPending}>
              {t("totp.confirm")}
            </Button>
          </form>
        ) : (
          <Button type="button" size="sm" disabled={isPending} onClick={() => run(() => beginTotpEnrolmentAction({ confirm: true }), (data) => setEnrolment(data))}>
            {t("totp.setUp")}
          </Button>
        )}
      </section>

      <section aria-labelledby={`${id}-recovery`} className={SECTION}>
        <h2 id={`${id}-recovery`} className="font-semibold">
          {t("recovery.title")}
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("recovery.left", { count: status.recoveryCodesLeft })}</p>
        <Button
          type="button"
          size="sm"
          variant="secondary"
          disabled={isPending || (!status.hasTotp && status.passkeys.length === 0)}
          onClick={() => run(() => regenerateRecoveryCodesAction({ confirm: true }), (data) => setCodes(data.recoveryCodes))}
        >
          {t("recovery.regenerate")}
        </Button>
      </section>

      <section aria-labelledby={`${id}-passkeys`} className={SECTION}>
        <h2 id={`${id}-passkeys`} className="font-semibold">
          {t("passkeys.title")}
        </h2>
        {status.passkeys.length === 0 ? <p className="text-sm text-slate-700 dark:text-slate-300">{t("passkeys.none")}</p> : null}
        <ul className="space-y-2" aria-label={t("passkeys.listLabel")}>
          {status.passkeys.map((passkey) => (
            <li key={passkey.id} className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <span>
                <span className="font-medium">{passkey.name}</span>{" "}
                <span className="text-slate-600 dark:text-slate-400">
                  {t("passkeys.added_on", { date: format.dateTime(new Date(passkey.createdAt), { dateStyle: "medium" }) })}
                </span>
              </span>
              <Button
                type="button"
                size="sm"
                variant="secondary"
                disabled={isPending}
                aria-label={t("passkeys.removeNamed", { name: passkey.name })}
                onClick={() => run(() => removePasskeyAction({ passkeyId: passkey.id }), afterRemoval)}
              >
                {t("passkeys.remove")}
              </Button>
            </li>
          ))}
        </ul>
        <form onSubmit={onAddPasskey} className="flex flex-wrap items-end gap-2">
          <div className="space-y-1">
            <Label htmlFor={`${id}-passkey-name`}>{t("passkeys.name")}</Label>
            <Input id={`${id}-passkey-name`} name="name" maxLength={60} />
          </div>
          <Button type="submit" size="sm" disabled={isPending}>
            {t("passkeys.add")}
          </Button>
        </form>
      </section>
    </div>
  );
}
