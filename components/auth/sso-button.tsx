"use client";

import { signIn } from "next-auth/react";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * "Sign in with <IdP>": next-auth's OIDC provider (authorization code with PKCE, state and
 * nonce). `error` is the message of a refused IdP sign-in (the page maps next-auth's code).
 */
export function SsoButton({
  providerId,
  name,
  callbackUrl,
  error,
  primary,
}: {
  providerId: string;
  name: string;
  callbackUrl?: string | undefined;
  error?: string | undefined;
  /** The only way in (LOCAL_SIGN_IN=false): shown as the primary button. */
  primary: boolean;
}) {
  const t = useTranslations("auth.sso");
  const locale = useLocale();
  const [isRedirecting, setRedirecting] = useState(false);
  return (
    <div className="space-y-3">
      {error ? (
        <p id="sso-error" role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      ) : null}
      <Button
        type="button"
        variant={primary ? "primary" : "secondary"}
        className="w-full"
        disabled={isRedirecting}
        aria-describedby={error ? "sso-error" : undefined}
        onClick={() => {
          setRedirecting(true);
          // ui_locales (OIDC Core 3.1.2.1): the IdP's login page in Passdesk's language, when it can.
          void signIn(providerId, { callbackUrl: callbackUrl ?? "/" }, { ui_locales: locale });
        }}
      >
        {t("button", { name })}
      </Button>
    </div>
  );
}
