import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoButton } from "@/components/auth/sso-button";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { OIDC_PROVIDER_ID, OIDC_REFUSALS } from "@/lib/auth/oidc";
import { getCurrentOperator } from "@/lib/auth/session";
import { LOCAL_TENANT_DEFAULTS } from "@/lib/env";
import { getEnv } from "@/lib/server-env";

/** Any fixed origin works for judging a path: only the path of a same-origin result is kept. */
const SERVER_ORIGIN = "http://passdesk.invalid";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.signIn");
  return { title: t("title") };
}

/** next-auth error codes (and ours, lib/auth/oidc.ts) that have their own message. */
const SSO_ERRORS: ReadonlySet<string> = new Set([
  ...Object.values(OIDC_REFUSALS),
  "OAuthCallback",
  "OAuthSignin",
  "Callback",
  "AccessDenied",
]);

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  if (await getCurrentOperator()) redirect("/");
  const { callbackUrl, error } = await searchParams;
  const t = await getTranslations("auth.signIn");
  const ts = await getTranslations("auth.sso");
  const tc = await getTranslations("common");
  const env = getEnv();
  const safeCallback = typeof callbackUrl === "string" ? safeCallbackPath(callbackUrl, SERVER_ORIGIN) : undefined;
  // Any error code next-auth puts here comes back from an IdP round trip (the password form
  // reports its own errors in place).
  const ssoError =
    typeof error === "string" && error !== ""
      ? ts(`errors.${SSO_ERRORS.has(error) ? error : "default"}` as "errors.default")
      : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex justify-end">
          <LanguageSwitch />
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900">
          <p className="text-sm font-semibold tracking-wide text-indigo-700 dark:text-indigo-300">Passdesk</p>
          <h1 className="mt-1 text-xl font-semibold">{t("title")}</h1>
          <p className="mt-1 mb-5 text-sm text-slate-600 dark:text-slate-300">{t("subtitle")}</p>
          {env.oidc ? (
            <SsoButton
              providerId={OIDC_PROVIDER_ID}
              name={env.oidc.name}
              callbackUrl={safeCallback}
              error={ssoError}
              primary={!env.LOCAL_SIGN_IN}
            />
          ) : null}
          {env.oidc && env.LOCAL_SIGN_IN ? (
            <div className="my-5 flex items-center gap-3 text-xs text-slate-500 dark:text-slate-400" aria-hidden="true">
              <span className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
              {ts("or")}
              <span className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
            </div>
          ) : null}
          {env.LOCAL_SIGN_IN ? (
            <SignInForm callbackUrl={safeCallback} />
          ) : (
            <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">{ts("localOff")}</p>
          )}
        </div>
        {env.isDemo && env.LOCAL_SIGN_IN ? <p className="text-center text-xs text-slate-600 dark:text-slate-400">{t("demoHint")}</p> : null}
        {env.isDemo && env.oidc && env.OIDC_ISSUER === undefined ? (
          <p className="text-center text-xs text-slate-600 dark:text-slate-400">
            {ts("demoHint", { password: LOCAL_TENANT_DEFAULTS.oidcDemoPassword })}
          </p>
        ) : null}
        <p className="text-center text-xs text-slate-600 dark:text-slate-400">{tc("tagline")}</p>
      </div>
    </main>
  );
}
