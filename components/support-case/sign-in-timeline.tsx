"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/client/api-fetch";
import { timelineQueryOptions } from "@/lib/client/support-case-queries";
import type { TimelineEntry, TimelinePage } from "@/lib/support-case/timeline";
import { describePanelError } from "./describe-error";
import { ScrollRegion } from "@/components/ui/scroll-region";

const CODE = /^[a-z][a-z0-9_]{0,40}$/;

/**
 * The timeline's list: the server-rendered first page, then older pages through
 * GET /api/users/:id/timeline (TanStack infinite query, "Show older events").
 */
export function SignInTimeline({ userId, firstPage }: { userId: string; firstPage: TimelinePage }) {
  const t = useTranslations("supportCase");
  const format = useFormatter();
  const query = useInfiniteQuery(timelineQueryOptions(userId, firstPage));
  const pages = query.data?.pages ?? [firstPage];
  const seen = new Set<string>();
  const entries = pages.flatMap((page) => page.entries).filter((entry) => !seen.has(entry.id) && seen.add(entry.id));
  const time = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "medium" });
  const logsError = firstPage.logsError;
  const truncated = pages.some((page) => page.auditTruncated);

  const label = (entry: TimelineEntry): string => {
    if (entry.kind === "log") {
      return CODE.test(entry.type) && t.has(`timeline.logTypes.${entry.type}`)
        ? t(`timeline.logTypes.${entry.type}`)
        : t("timeline.rawType", { type: entry.type });
    }
    const key = entry.action.replace(/\./g, "_");
    return CODE.test(key) && t.has(`timeline.actions.${key}`)
      ? t(`timeline.actions.${key}`)
      : t("timeline.actions.other", { action: entry.action });
  };

  const loadMoreError =
    query.isFetchNextPageError && query.error
      ? describePanelError(
          (key, values) => t(key, values),
          time,
          query.error instanceof ApiError
            ? { code: query.error.code, retryAt: query.error.retryAt }
            : { code: "unavailable" },
        )
      : null;

  return (
    <div className="mt-3">
      {logsError ? (
        <p role="status" className="mb-3 text-sm text-amber-900 dark:text-amber-200" data-testid="timeline-logs-error">
          {t("timeline.logsError", {
            reason: describePanelError((key, values) => t(key, values), time, logsError),
          })}
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p className="text-sm">{t("timeline.empty")}</p>
      ) : (
        <ScrollRegion labelledBy="timeline-title">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("timeline.caption")}</caption>
            <thead className="border-b border-slate-200 text-xs text-slate-600 uppercase dark:border-slate-700 dark:text-slate-300">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {t("timeline.columns.time")}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t("timeline.columns.event")}
                </th>
                <th scope="col" className="py-2">
                  {t("timeline.columns.details")}
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr
                  key={entry.id}
                  className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
                  data-testid="timeline-entry"
                  data-kind={entry.kind}
                  data-type={entry.kind === "log" ? entry.type : entry.action}
                >
                  <td className="py-2 pr-3 whitespace-nowrap">
                    <time dateTime={entry.time}>{time(entry.time)}</time>
                  </td>
                  <td className="py-2 pr-3">
                    <span className="flex flex-wrap items-center gap-2">
                      <Badge tone={entry.kind === "log" ? "neutral" : "violet"}>{t(`timeline.sources.${entry.kind}`)}</Badge>
                      <span className="font-medium">{label(entry)}</span>
                    </span>
                    {entry.kind === "audit" ? (
                      <span className="mt-0.5 block text-slate-700 dark:text-slate-300">
                        {entry.actorEmail ? t("timeline.by", { actor: entry.actorEmail }) : t("timeline.byUnknown")}
                        {" · "}
                        {t(`timeline.outcomes.${entry.outcome in { SUCCEEDED: 1, FAILED: 1, UNKNOWN: 1, PENDING: 1 } ? entry.outcome : "UNKNOWN"}`)}
                      </span>
                    ) : entry.description && !(CODE.test(entry.type) && t.has(`timeline.logTypes.${entry.type}`)) ? (
                      <span className="mt-0.5 block text-slate-700 dark:text-slate-300">{entry.description}</span>
                    ) : null}
                  </td>
                  <td className="py-2 text-slate-700 dark:text-slate-300">
                    {entry.kind === "log" ? (
                      <span className="flex flex-col">
                        {entry.ip ? <span>{t("timeline.ip", { ip: entry.ip })}</span> : null}
                        {entry.application ? <span>{t("timeline.application", { name: entry.application })}</span> : null}
                        {entry.connection ? <span>{t("timeline.connection", { name: entry.connection })}</span> : null}
                      </span>
                    ) : entry.reason ? (
                      <span className="break-words">{t("timeline.reason", { reason: entry.reason })}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {truncated ? <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">{t("timeline.truncated")}</p> : null}
      <div className="mt-3 flex flex-wrap items-center gap-3" aria-live="polite">
        {query.hasNextPage ? (
          <Button type="button" variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? t("timeline.loading") : loadMoreError ? t("timeline.retry") : t("timeline.loadMore")}
          </Button>
        ) : entries.length > 0 ? (
          <p className="text-xs text-slate-600 dark:text-slate-400">{t("timeline.end")}</p>
        ) : null}
        {loadMoreError ? (
          <p role="alert" className="text-sm text-red-800 dark:text-red-300">
            {t("timeline.loadMoreFailed", { reason: loadMoreError })}
          </p>
        ) : null}
      </div>
    </div>
  );
}
