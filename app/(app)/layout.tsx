import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/shell/app-header";
import { requirePageOperator } from "@/lib/auth/session";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const operator = await requirePageOperator();
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
