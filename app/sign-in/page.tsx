import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { getCurrentOperator } from "@/lib/auth/session";
import { getEnv } from "@/lib/server-env";

/** Any fixed origin works for judging a path: only the path of a same-origin result is kept. */
const SERVER_ORIGIN = "http://passdesk.invalid";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.signIn");
  return { title: t("title") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getCurrentOperator()) redirect("/");
  const { callbackUrl } = await searchParams;
  const t = await getTranslations("auth.signIn");
  const tc = await getTranslations("common");
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
          <SignInForm callbackUrl={typeof callbackUrl === "string" ? safeCallbackPath(callbackUrl, SERVER_ORIGIN) : undefined} />
        </div>
        {getEnv().isDemo ? <p className="text-center text-xs text-slate-600 dark:text-slate-400">{t("demoHint")}</p> : null}
        <p className="text-center text-xs text-slate-600 dark:text-slate-400">{tc("tagline")}</p>
      </div>
    </main>
  );
}
