import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/shell/app-header";
import type { OperatorIdentity } from "@/lib/auth/operator-identity";

/** The signed-in page frame (Server Component): skip link, header, main with the client providers. */
export async function AppShell({ operator, children }: { operator: OperatorIdentity; children: ReactNode }) {
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
