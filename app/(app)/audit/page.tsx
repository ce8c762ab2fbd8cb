import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { Suspense } from "react";
import { AuditExplorer } from "@/components/audit/audit-explorer";
import { ChainBanner, ChainBannerFallback } from "@/components/audit/chain-banner";
import { auditScopeFor, listAuditPage } from "@/lib/audit-view/service";
import { can, requirePageOperator } from "@/lib/auth/session";
import { auditStateFromParams } from "@/lib/validations/audit";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requirePageOperator("audit:read", "audit:read-own");
  const scope = auditScopeFor(operator);
  if (!scope) forbidden();
  const t = await getTranslations("audit");
  const state = auditStateFromParams(await searchParams);
  const initialPage = await listAuditPage(scope, state);

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("intro")}</p>
        {scope.kind === "own" ? (
          <p className="mt-1 text-sm font-medium text-slate-800 dark:text-slate-200">{t("introOwn")}</p>
        ) : null}
      </div>
      {/* The banner counts every event in the log, so it is for those who may read all of it. */}
      {scope.kind === "all" ? (
        <Suspense fallback={<ChainBannerFallback />}>
          <ChainBanner />
        </Suspense>
      ) : null}
      <NuqsAdapter>
        <AuditExplorer
          initialState={state}
          initialPage={initialPage}
          canExport={can(operator, "audit:export")}
        />
      </NuqsAdapter>
    </div>
  );
}
