import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { Suspense } from "react";
import { AuditExplorer } from "@/components/audit/audit-explorer";
import { ChainBanner, ChainBannerFallback } from "@/components/audit/chain-banner";
import type { AuditEventPageView } from "@/lib/audit-view/dto";
import { readsWholeLog } from "@/lib/audit-view/scope";
import {
  AuditScopeFilterError,
  auditScopeFor,
  listAuditPage,
  listScopedOperatorOptions,
  type ScopedOperatorOption,
} from "@/lib/audit-view/service";
import { can, requirePageOperator } from "@/lib/auth/session";
import { auditStateFromParams } from "@/lib/validations/audit";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

const NO_EVENTS: AuditEventPageView = { events: [], nextCursor: null };

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
  const wholeLog = readsWholeLog(scope);
  // A scope filter that names no scoped operator shows nothing and says so — never everything.
  const [initialPage, scopeOptions]: [AuditEventPageView | null, ScopedOperatorOption[] | null] = await Promise.all([
    listAuditPage(scope, state).catch((error: unknown) => {
      if (error instanceof AuditScopeFilterError) return null;
      throw error;
    }),
    wholeLog ? listScopedOperatorOptions() : Promise.resolve(null),
  ]);

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("intro")}</p>
        {scope.kind === "own" ? (
          <p className="mt-1 text-sm font-medium text-slate-800 dark:text-slate-200">{t("introOwn")}</p>
        ) : null}
        {scope.users ? (
          <p className="mt-1 text-sm font-medium text-slate-800 dark:text-slate-200">{t("introScoped")}</p>
        ) : null}
      </div>
      {/* The banner counts every event in the log, so it is for those who may read all of it. */}
      {wholeLog ? (
        <Suspense fallback={<ChainBannerFallback />}>
          <ChainBanner />
        </Suspense>
      ) : null}
      {initialPage === null ? (
        <p
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {t("errors.scopeOf")}
        </p>
      ) : null}
      <NuqsAdapter>
        <AuditExplorer
          initialState={state}
          initialPage={initialPage ?? NO_EVENTS}
          canExport={can(operator, "audit:export")}
          scopeOptions={scopeOptions}
        />
      </NuqsAdapter>
    </div>
  );
}
