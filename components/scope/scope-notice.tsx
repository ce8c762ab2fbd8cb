import { getTranslations } from "next-intl/server";
import type { ResolvedScope } from "@/lib/scope/resolve";

/** Above the users list when the operator's scope resolves to nobody: why, and whom to ask. */
export async function ScopeNotice({ resolved }: { resolved: Extract<ResolvedScope, { kind: "none" }> }) {
  const t = await getTranslations("scope");
  const reason = t(`reason.${resolved.reason}`, { detail: resolved.detail ?? "" });
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <h2 className="font-semibold">{t("notice.title")}</h2>
      <p className="mt-1">{t("notice.body", { reason })}</p>
    </div>
  );
}
