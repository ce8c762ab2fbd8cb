import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { OIDC_NAME_META } from "@/lib/auth/step-up-sso";
import { getEnv } from "@/lib/server-env";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  return { title: { default: "Passdesk", template: "%s · Passdesk" }, description: t("tagline") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  // The IdP's display name (public: it labels the sign-in button) for "Confirm with …" in step-up.
  const oidcName = getEnv().oidc?.name;
  return (
    <html lang={locale}>
      <head>{oidcName ? <meta name={OIDC_NAME_META} content={oidcName} /> : null}</head>
      <body className="min-h-screen">
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
