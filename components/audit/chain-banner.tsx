import { getFormatter, getTranslations } from "next-intl/server";
import { getAuditChainStatus } from "@/lib/audit-view/chain-status";
import { logger } from "@/lib/logger";

/**
 * The chain state, from the same verifier as `npm run audit:verify` (result cached briefly:
 * see lib/audit-view/chain-status.ts). Rendered inside Suspense so a long check never holds
 * up the table.
 */
export async function ChainBanner() {
  const t = await getTranslations("audit");
  const format = await getFormatter();
  let status;
  try {
    status = await getAuditChainStatus();
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, "audit chain check failed");
    return (
      <div
        role="status"
        className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
      >
        {t("chain.unavailable")}
      </div>
    );
  }
  const checked = t("chain.checkedAt", {
    time: format.dateTime(new Date(status.checkedAt), { dateStyle: "medium", timeStyle: "medium" }),
  });
  if (status.ok) {
    return (
      <div
        role="status"
        data-chain="intact"
        className="flex flex-wrap items-baseline justify-between gap-2 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-100"
      >
        <p className="font-medium">{t("chain.intact", { count: status.count })}</p>
        <p className="text-xs">{checked}</p>
      </div>
    );
  }
  const reasons = ["edited", "deleted", "inserted", "reordered"] as const;
  const reason = reasons.find((candidate) => candidate === status.reason);
  return (
    <div
      role="alert"
      data-chain="broken"
      className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-semibold">{t("chain.broken", { sequence: status.firstBadSequence })}</p>
      {reason ? <p>{t(`chain.reasons.${reason}`)}</p> : null}
      <p>{t("chain.verifiedBefore", { count: status.count })}</p>
      <p className="text-xs">{checked}</p>
    </div>
  );
}

export async function ChainBannerFallback() {
  const t = await getTranslations("audit");
  return (
    <div
      role="status"
      className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200"
    >
      {t("chain.checking")}
    </div>
  );
}
