import { useTranslations } from "next-intl";
import type { OperatorScope } from "@/lib/scope/types";

/**
 * A scope in words: "Whole tenant", or one line per part that is set. Organizations are shown by
 * display name where `organizationNames` knows them (the audit log shows their ids).
 */
export function ScopeSummary({ scope, organizationNames = {} }: { scope: OperatorScope | null; organizationNames?: Readonly<Record<string, string>> }) {
  const t = useTranslations("OperatorScope");
  if (scope === null) return <span>{t("wholeTenant")}</span>;
  if (scope.invalid) return <span className="text-red-700 dark:text-red-400">{t("invalid")}</span>;
  return (
    <ul className="space-y-0.5">
      {scope.connections.length > 0 ? <li>{t("connectionsSummary", { list: scope.connections.join(", ") })}</li> : null}
      {scope.organizations.length > 0 ? (
        <li>{t("organizationsSummary", { list: scope.organizations.map((id) => organizationNames[id] ?? id).join(", ") })}</li>
      ) : null}
      {scope.filter ? <li className="break-all">{t("filterSummary", { filter: scope.filter })}</li> : null}
    </ul>
  );
}
