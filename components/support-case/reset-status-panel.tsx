import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { UserProfile } from "@/lib/auth0/types";
import type { ResetState } from "@/lib/support-case/reset-status";
import { loadResetStatus } from "@/lib/support-case/service";
import { describePanelError } from "./describe-error";

const STATE_TONES: Record<ResetState, BadgeTone> = {
  waiting: "blue",
  used: "green",
  superseded: "neutral",
  expired: "amber",
  unknown: "violet",
};

/** Every reset email and link Passdesk sent this user (any operator) and what became of it. */
export async function ResetStatusPanel({ user }: { user: UserProfile }) {
  const [t, format, view] = await Promise.all([getTranslations("supportCase"), getFormatter(), loadResetStatus(user)]);
  const time = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  return (
    <Card aria-labelledby="reset-status-title" data-testid="reset-status">
      <h2 id="reset-status-title" className="text-base font-semibold">
        {t("reset.title")}
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{t("reset.description")}</p>
      {view.logsError ? (
        <p role="status" className="mt-2 text-sm text-amber-900 dark:text-amber-200">
          {t("reset.logsError", { reason: describePanelError(t, time, view.logsError) })}
        </p>
      ) : null}
      {view.statuses.length === 0 ? (
        <p className="mt-3 text-sm">{t("reset.empty")}</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100 dark:divide-slate-800">
          {view.statuses.map((status) => {
            const explainTime =
              status.state === "waiting" || status.state === "expired" ? status.expiresAt : status.at;
            return (
              <li key={status.sequence} className="py-2 text-sm" data-testid="reset-status-item" data-state={status.state}>
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{t(`reset.kinds.${status.kind}`)}</span>
                  <span className="text-slate-600 dark:text-slate-400">
                    {status.actorEmail
                      ? t("reset.sent", { actor: status.actorEmail, time: time(status.sentAt) })
                      : t("reset.sentUnknown", { time: time(status.sentAt) })}
                  </span>
                  <Badge tone={STATE_TONES[status.state]}>{t(`reset.states.${status.state}`)}</Badge>
                </div>
                <p className="mt-1 text-slate-700 dark:text-slate-300">
                  {t(`reset.explain.${status.state}`, { time: explainTime ? time(explainTime) : "—" })}
                </p>
                {(status.state === "waiting" || status.state === "expired") && status.lifetimeSource === "default" ? (
                  <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">{t("reset.defaultLifetime")}</p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
