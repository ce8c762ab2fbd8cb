import { getTranslations } from "next-intl/server";
import { describeScope } from "@/lib/scope/describe";
import type { OperatorScope } from "@/lib/scope/types";

/**
 * The operator's scope in the header: a compact badge that opens the long form (connections,
 * organization names, the filter). A native disclosure (details/summary): keyboard usable with
 * no client JavaScript. On a phone the long form spans the screen (inset 1 rem) wherever the
 * badge sits in the header; from `sm` it hangs under the badge.
 */
export async function ScopeBadge({ scope }: { scope: OperatorScope }) {
  const [t, description] = await Promise.all([getTranslations("scope"), describeScope(scope)]);
  const summary = description.invalid ? t("unreadable") : description.summary;
  const rows: [string, string][] = [
    [t("connections"), description.connections.join(", ") || t("anyValue")],
    [t("organizations"), description.organizations.join(", ") || t("anyValue")],
    [t("filter"), description.filter ?? t("anyValue")],
  ];
  return (
    <details className="group relative" data-testid="scope-badge">
      <summary
        aria-label={t("badgeLabel", { summary })}
        className="flex max-w-[14rem] cursor-pointer list-none items-center rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:max-w-xs dark:bg-amber-950 dark:text-amber-200 [&::-webkit-details-marker]:hidden"
      >
        <span className="truncate">{t("badge", { summary })}</span>
      </summary>
      <div className="fixed inset-x-4 z-50 mt-1.5 rounded-md sm:absolute sm:inset-x-auto sm:right-0 sm:w-72 border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <p className="font-semibold">{t("title")}</p>
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">{t("explain")}</p>
        <dl className="mt-2 space-y-1">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs text-slate-600 dark:text-slate-300">{label}</dt>
              <dd className="font-mono text-xs break-words">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
    </details>
  );
}
