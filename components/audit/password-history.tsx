import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { displayOutcome } from "@/lib/audit-view/dto";
import { auditScopeFor, listPasswordHistory } from "@/lib/audit-view/service";
import { isAuditAction } from "@/lib/audit/actions";
import { getCurrentOperator } from "@/lib/auth/session";
import { auditStateToParams, DEFAULT_AUDIT_STATE } from "@/lib/validations/audit";
import { OutcomeBadge } from "./outcome-badge";
import { ActorLabel } from "./actor-label";
import { ScrollRegion } from "@/components/ui/scroll-region";

const HISTORY_LIMIT = 20;

/**
 * One Auth0 user's password operations (who, when, why, outcome — "outcome unknown" when a
 * pending event never got one) for the user profile. Reads with the viewer's audit scope:
 * support operators see the operations they performed; operators without audit access see
 * nothing (the section is not rendered).
 */
export async function PasswordHistory({ userId }: { userId: string }) {
  const operator = await getCurrentOperator();
  const scope = operator ? auditScopeFor(operator) : null;
  if (!scope) return null;
  const [t, ts, format, history] = await Promise.all([
    getTranslations("audit"),
    getTranslations("shell"),
    getFormatter(),
    listPasswordHistory(scope, userId, HISTORY_LIMIT),
  ]);
  const auditLink = `/audit?${auditStateToParams({ ...DEFAULT_AUDIT_STATE, target: userId }).toString()}`;

  return (
    <Card aria-labelledby="password-history-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="password-history-title" className="text-base font-semibold">
          {t("history.title")}
        </h2>
        <a
          href={auditLink}
          className="text-sm text-indigo-700 underline underline-offset-2 dark:text-indigo-300"
        >
          {t("history.openInAuditLog")}
        </a>
      </div>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        {scope.kind === "own" ? t("history.descriptionOwn") : t("history.description")}
      </p>
      {history.events.length === 0 ? (
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">{t("history.empty")}</p>
      ) : (
        <ScrollRegion labelledBy="password-history-title" className="mt-3">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-700 dark:text-slate-300">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t("history.columns.time")}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t("history.columns.actor")}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t("history.columns.action")}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t("history.columns.reason")}
                </th>
                <th scope="col" className="py-2">
                  {t("history.columns.outcome")}
                </th>
              </tr>
            </thead>
            <tbody>
              {history.events.map((event) => {
                const outcome = displayOutcome(event);
                return (
                  <tr
                    key={event.sequence}
                    className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
                  >
                    <td className="py-2 pr-3 whitespace-nowrap">
                      <time dateTime={event.time}>
                        {format.dateTime(new Date(event.time), { dateStyle: "medium", timeStyle: "short" })}
                      </time>
                    </td>
                    <td className="py-2 pr-3">
                      <ActorLabel
                        email={event.actorEmail}
                        roleLabel={event.actorRole ? ts(`roles.${event.actorRole}`) : null}
                        anonymousLabel={t("anonymous")}
                      />
                    </td>
                    <td className="py-2 pr-3">
                      {isAuditAction(event.action) ? t(`actions.${event.action}`) : event.action}
                    </td>
                    <td className="py-2 pr-3 break-words">{event.reason ?? t("none")}</td>
                    <td className="py-2">
                      <OutcomeBadge outcome={outcome} label={t(`outcomes.${outcome}`)} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {history.nextCursor ? (
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
              {t("history.more", { count: HISTORY_LIMIT })}
            </p>
          ) : null}
        </ScrollRegion>
      )}
    </Card>
  );
}
