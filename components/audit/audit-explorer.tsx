"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRef, useState, type MouseEvent } from "react";
import type { AuditEventPageView } from "@/lib/audit-view/dto";
import type { ScopedOperatorOption } from "@/lib/audit-view/service";
import { ApiError } from "@/lib/client/api-fetch";
import { auditExportUrl, auditPageQueryOptions } from "@/lib/client/audit-queries";
import { auditStateToParams, type AuditSearchState } from "@/lib/validations/audit";
import { emptyPageMessage } from "./empty-message";
import { StepUpPanel } from "@/components/security/step-up-panel";
import { stepUpStatusAction } from "@/lib/actions/security";
import { AuditEventDrawer } from "./audit-event-drawer";
import { AuditFilters } from "./audit-filters";
import { AuditTable } from "./audit-table";
import { auditHref, isPlainLeftClick, useAuditUrl } from "./use-audit-url";

const LINK_CLASS =
  "inline-flex h-8 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800";

function stateKey(state: AuditSearchState): string {
  return auditStateToParams(state).toString();
}

/**
 * The audit page's interactive part: filters, the table with keyset paging and the detail
 * drawer. The server renders the first page (no spinner on arrival); later pages and filter
 * changes are fetched by TanStack Query from /api/audit/events, which applies the same scope.
 */
export function AuditExplorer({
  initialState,
  initialPage,
  canExport,
  scopeOptions,
}: {
  initialState: AuditSearchState;
  initialPage: AuditEventPageView;
  canExport: boolean;
  /** Operators with a scope, for the scope filter; null when the reader may not use it. */
  scopeOptions: ScopedOperatorOption[] | null;
}) {
  const t = useTranslations("audit");
  const { state, event, pathname, navigate } = useAuditUrl();
  // The export needs a recent authentication (step-up): ask first, in place, then download.
  const [pendingExport, setPendingExport] = useState<string | null>(null);
  function onExportClick(click: MouseEvent<HTMLAnchorElement>) {
    const href = click.currentTarget.href;
    click.preventDefault();
    void stepUpStatusAction({ confirm: true }).then((result) => {
      if (result.ok && result.data.isFresh) window.location.assign(href);
      else setPendingExport(href);
    });
  }
  const exportStepUp = pendingExport ? (
    <StepUpPanel
      onConfirmed={() => {
        window.location.assign(pendingExport);
        setPendingExport(null);
      }}
      onCancel={() => setPendingExport(null)}
    />
  ) : null;
  const key = stateKey(state);
  const query = useQuery({
    ...auditPageQueryOptions(state),
    initialData: key === stateKey(initialState) ? initialPage : undefined,
    // Keep the old rows on screen (marked busy) while the next page loads.
    placeholderData: keepPreviousData,
  });
  const page = query.data;
  const openerRef = useRef<HTMLElement | null>(null);
  const events = page?.events ?? [];

  function go(next: AuditSearchState, openEvent: string | null = null) {
    navigate({ state: next, event: openEvent });
  }

  function linkProps(next: AuditSearchState) {
    return {
      href: auditHref(pathname, next),
      onClick: (click: MouseEvent<HTMLAnchorElement>) => {
        if (!isPlainLeftClick(click)) return;
        click.preventDefault();
        go(next);
        window.scrollTo({ top: 0 });
      },
    };
  }

  const error = query.error;
  const errorMessage =
    error instanceof ApiError
      ? error.status === 403
        ? t("errors.forbidden")
        : error.status === 401
          ? t("errors.unauthenticated")
          : error.code === "invalid_params"
            ? error.message.startsWith("scopeOf ")
              ? t("errors.scopeOf")
              : t("errors.invalid", { message: error.message })
            : t("errors.load")
      : error
        ? t("errors.load")
        : null;

  const newer = state.cursor !== "" ? { ...state, cursor: "" } : null;
  const older = page?.nextCursor ? { ...state, cursor: page.nextCursor } : null;

  return (
    <div className="space-y-4">
      <AuditFilters key={key} state={state} scopeOptions={scopeOptions} onApply={(next) => go(next)} />

      {canExport ? (
        <section aria-labelledby="audit-export-title" className="flex flex-wrap items-center gap-2">
          <h2 id="audit-export-title" className="text-sm font-semibold">
            {t("export.title")}
          </h2>
          <a className={LINK_CLASS} href={auditExportUrl(state, "csv")} download onClick={onExportClick}>
            {t("export.csv")}
          </a>
          <a className={LINK_CLASS} href={auditExportUrl(state, "ndjson")} download onClick={onExportClick}>
            {t("export.ndjson")}
          </a>
          <p className="w-full text-xs text-slate-600 dark:text-slate-400">{t("export.hint")}</p>
          {exportStepUp ? <div className="w-full">{exportStepUp}</div> : null}
        </section>
      ) : null}

      <p role="status" className="sr-only">
        {query.isFetching ? t("loading") : ""}
      </p>

      {errorMessage ? (
        <div
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
        >
          <p>{errorMessage}</p>
          {error instanceof ApiError && error.requestId ? (
            <p className="text-xs">{t("errors.reference", { requestId: error.requestId })}</p>
          ) : null}
          <button type="button" className="mt-2 underline" onClick={() => void query.refetch()}>
            {t("errors.retry")}
          </button>
        </div>
      ) : null}

      {page && events.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 dark:border-slate-600 dark:text-slate-300">
          {t(emptyPageMessage(state, page.nextCursor))}
        </p>
      ) : null}

      {events.length > 0 ? (
        <AuditTable
          events={events}
          isBusy={query.isFetching}
          detailsHref={(sequence) => auditHref(pathname, state, sequence)}
          onOpenDetails={(sequence) => {
            openerRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
            go(state, sequence);
          }}
        />
      ) : null}

      <nav aria-label={t("pager.label")} className="flex items-center justify-between gap-2">
        {/* Keyset paging only knows "older than this row"; the way back is the newest page or Back. */}
        <div>
          {newer ? (
            <a className={LINK_CLASS} {...linkProps(newer)}>
              {t("pager.newest")}
            </a>
          ) : null}
        </div>
        <div>
          {older ? (
            <a className={LINK_CLASS} {...linkProps(older)}>
              {t("pager.older")}
            </a>
          ) : null}
        </div>
      </nav>

      <AuditEventDrawer
        sequence={event}
        fromPage={events.find((row) => row.sequence === event)}
        eventHref={(sequence) => auditHref(pathname, state, sequence)}
        onOpenEvent={(sequence) => go(state, sequence)}
        onClose={() => go(state)}
        returnFocusTo={() => openerRef.current}
      />
    </div>
  );
}
