"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { MouseEvent } from "react";
import { displayOutcome, eventStage, type AuditEventView } from "@/lib/audit-view/dto";
import { isAuditAction } from "@/lib/audit/actions";
import { OutcomeBadge } from "./outcome-badge";
import { isPlainLeftClick } from "./use-audit-url";
import { ActorLabel } from "./actor-label";

export function useActionLabel() {
  const t = useTranslations("audit");
  // Actions written by newer code than this page still render, as their dotted name.
  return (action: string) => (isAuditAction(action) ? t(`actions.${action}`) : action);
}

export function AuditTable({
  events,
  isBusy,
  detailsHref,
  onOpenDetails,
}: {
  events: readonly AuditEventView[];
  isBusy: boolean;
  detailsHref: (sequence: string) => string;
  onOpenDetails: (sequence: string) => void;
}) {
  const t = useTranslations("audit");
  const ts = useTranslations("shell");
  const format = useFormatter();
  const actionLabel = useActionLabel();

  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <table className="w-full text-left text-sm" aria-busy={isBusy}>
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-3 py-2">
              {t("columns.sequence")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("columns.time")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("columns.actor")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("columns.action")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("columns.target")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("columns.reason")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("columns.outcome")}
            </th>
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">{t("columns.details")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const outcome = displayOutcome(event);
            const stage = eventStage(event);
            return (
              <tr
                key={event.sequence}
                data-sequence={event.sequence}
                className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
              >
                <th
                  scope="row"
                  className="px-3 py-2 font-mono text-xs font-normal text-slate-600 dark:text-slate-300"
                >
                  {event.sequence}
                </th>
                <td className="px-3 py-2 whitespace-nowrap">
                  <time dateTime={event.time}>
                    {format.dateTime(new Date(event.time), { dateStyle: "medium", timeStyle: "medium" })}
                  </time>
                </td>
                <td className="px-3 py-2">
                  <ActorLabel
                    email={event.actorEmail}
                    roleLabel={event.actorRole ? ts(`roles.${event.actorRole}`) : null}
                    anonymousLabel={t("anonymous")}
                  />
                </td>
                <td className="px-3 py-2">
                  <div>{actionLabel(event.action)}</div>
                  {stage !== "single" ? (
                    <div className="text-xs text-slate-600 dark:text-slate-400">
                      {t(`stages.${stage}`, { sequence: event.relatedSequence ?? "" })}
                    </div>
                  ) : null}
                </td>
                <td className="px-3 py-2">
                  {event.targetEmail ? <div className="break-all">{event.targetEmail}</div> : null}
                  {event.targetUserId ? (
                    <div className="font-mono text-xs break-all text-slate-600 dark:text-slate-400">
                      {event.targetUserId}
                    </div>
                  ) : null}
                  {!event.targetEmail && !event.targetUserId ? t("none") : null}
                </td>
                <td className="max-w-64 px-3 py-2">
                  <span className="line-clamp-2 break-words" title={event.reason ?? undefined}>
                    {event.reason ?? t("none")}
                  </span>
                </td>
                <td className="px-3 py-2">
                  <OutcomeBadge outcome={outcome} label={t(`outcomes.${outcome}`)} />
                </td>
                <td className="px-3 py-2">
                  <a
                    href={detailsHref(event.sequence)}
                    aria-label={t("viewDetailsLabel", { sequence: event.sequence })}
                    className="rounded text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
                    onClick={(click: MouseEvent<HTMLAnchorElement>) => {
                      if (!isPlainLeftClick(click)) return;
                      click.preventDefault();
                      onOpenDetails(event.sequence);
                    }}
                  >
                    {t("viewDetails")}
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
