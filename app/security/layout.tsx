import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/shell/app-header";
import { requireSecurityPageOperator } from "@/lib/auth/session";

/**
 * The operator's own security page sits outside the (app) group: it is the one page an operator
 * who must enrol in MFA may reach before enrolling (every other page redirects here).
 */
export default async function SecurityLayout({ children }: { children: ReactNode }) {
  const operator = await requireSecurityPageOperator();
  const t = await getTranslations("common");
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t("skipToContent")}
      </a>
      <AppHeader operator={operator} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <Providers>{children}</Providers>
      </main>
    </>
  );
}
