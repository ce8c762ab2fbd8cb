"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { STEP_UP_SSO_DONE_PATH, STEP_UP_SSO_MESSAGE, STEP_UP_SSO_PROVIDER_ID, type StepUpSsoResult } from "@/lib/auth/step-up-sso";

/** In the popup: straight on to the IdP, asking for a fresh login (prompt=login, max_age=0). */
export function StepUpSsoStart({ name }: { name: string }) {
  const t = useTranslations("security.stepUp.sso");
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void signIn(STEP_UP_SSO_PROVIDER_ID, { callbackUrl: STEP_UP_SSO_DONE_PATH }, { prompt: "login", max_age: "0", ui_locales: document.documentElement.lang });
  }, []);
  return (
    <p role="status" className="p-6">
      {t("opening", { name })}
    </p>
  );
}

/** In the popup, back from the IdP: tell the Passdesk tab (same origin only) and close. */
export function StepUpSsoDone({ result }: { result: StepUpSsoResult }) {
  const t = useTranslations("security.stepUp.sso");
  useEffect(() => {
    // A same-origin channel: after the IdP, COOP same-origin has cut this popup off from its opener.
    const channel = new BroadcastChannel(STEP_UP_SSO_MESSAGE);
    channel.postMessage({ type: STEP_UP_SSO_MESSAGE, result });
    channel.close();
    window.close();
  }, [result]);
  return (
    <p role="status" className="p-6">
      {t(result === "ok" ? "done" : "failed")}
    </p>
  );
}
