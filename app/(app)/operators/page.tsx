import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { CreateOperatorDialog } from "@/components/operators/create-operator-dialog";
import { OperatorRowActions } from "@/components/operators/operator-row-actions";
import { OperatorScopeDialog } from "@/components/operators/operator-scope-dialog";
import { ScopeSummary } from "@/components/operators/scope-summary";
import { Badge } from "@/components/ui/badge";
import { requirePageOperator } from "@/lib/auth/session";
import { listOperators, listOperatorsMfa, listScopeChoices } from "@/lib/operators/service";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("operators");
  return { title: t("title") };
}

export default async function OperatorsPage() {
  const me = await requirePageOperator("operators:manage");
  const t = await getTranslations("operators");
  const ts = await getTranslations("shell");
  const tm = await getTranslations("security.operators");
  const format = await getFormatter();
  const operators = await listOperators();
  const mfa = await listOperatorsMfa();
  const tscope = await getTranslations("OperatorScope");
  // The tenant's connections and organizations to choose from (null when Auth0 cannot answer now).
  const choices = await listScopeChoices();
  const organizationNames = Object.fromEntries((choices?.organizations ?? []).map((org) => [org.value, org.label]));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">{t("title")}</h1>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t("intro")}</p>
        </div>
        <CreateOperatorDialog />
      </div>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
            <tr>
              <th scope="col" className="px-4 py-2">{t("columns.name")}</th>
              <th scope="col" className="px-4 py-2">{t("columns.email")}</th>
              <th scope="col" className="px-4 py-2">{t("columns.role")}</th>
              <th scope="col" className="px-4 py-2">{t("columns.status")}</th>
              <th scope="col" className="px-4 py-2">{t("columns.lastSignIn")}</th>
              <th scope="col" className="px-4 py-2">{tm("column")}</th>
              <th scope="col" className="px-4 py-2">{tscope("column")}</th>
              <th scope="col" className="px-4 py-2">{t("columns.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {operators.map((operator) => (
              <tr key={operator.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                <td className="px-4 py-2 font-medium">
                  {operator.name}
                  {operator.id === me.id ? <span className="ml-1 text-xs text-slate-600 dark:text-slate-400">({t("you")})</span> : null}
                </td>
                <td className="px-4 py-2">{operator.email}</td>
                <td className="px-4 py-2">{ts(`roles.${operator.role}`)}</td>
                <td className="px-4 py-2">
                  <Badge tone={operator.disabled ? "red" : "green"}>{operator.disabled ? t("status.disabled") : t("status.active")}</Badge>
                </td>
                <td className="px-4 py-2">
                  {operator.lastSignInAt ? format.dateTime(operator.lastSignInAt, { dateStyle: "medium", timeStyle: "short" }) : t("never")}
                </td>
                <td className="px-4 py-2">
                  <Badge tone={mfa.get(operator.id)?.isEnrolled ? "green" : "neutral"}>
                    {mfa.get(operator.id)?.isEnrolled ? tm("on") : tm("off")}
                  </Badge>
                  {mfa.get(operator.id)?.isRequired ? <span className="ml-1 text-xs text-slate-600 dark:text-slate-400">{tm("required")}</span> : null}
                </td>
                <td className="px-4 py-2 text-xs">
                  <div className="flex flex-wrap items-start gap-2">
                    <ScopeSummary scope={operator.scope} organizationNames={organizationNames} />
                    {operator.id === me.id || !choices ? null : (
                      <OperatorScopeDialog
                        operatorId={operator.id}
                        email={operator.email}
                        scope={operator.scope}
                        connections={choices.connections}
                        organizations={choices.organizations}
                      />
                    )}
                  </div>
                  {choices ? null : <p className="text-slate-600 dark:text-slate-400">{tscope("errors.unverifiable")}</p>}
                </td>
                <td className="px-4 py-2">
                  {operator.id === me.id ? null : (
                    <OperatorRowActions
                      operatorId={operator.id}
                      email={operator.email}
                      role={operator.role}
                      disabled={operator.disabled}
                      mfa={mfa.get(operator.id) ?? { isEnrolled: false, isRequired: false }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
