import { queryOptions } from "@tanstack/react-query";
import type { AuditEventPageView, AuditEventView } from "@/lib/audit-view/dto";
import { AUDIT_PAGE_SIZE, auditStateToParams, type AuditSearchState } from "@/lib/validations/audit";
import { getJson, retryUnlessClientError } from "./api-fetch";

/** Query-key factory for the audit log; whoever renders audit data invalidates through it. */
export const auditKeys = {
  all: ["audit"] as const,
  pages: () => [...auditKeys.all, "page"] as const,
  page: (state: AuditSearchState) => [...auditKeys.pages(), state] as const,
  events: () => [...auditKeys.all, "event"] as const,
  event: (sequence: string) => [...auditKeys.events(), sequence] as const,
};

export function auditPageUrl(state: AuditSearchState): string {
  const params = auditStateToParams(state);
  params.set("limit", String(AUDIT_PAGE_SIZE));
  return `/api/audit/events?${params.toString()}`;
}

export function auditPageQueryOptions(state: AuditSearchState) {
  return queryOptions({
    queryKey: auditKeys.page(state),
    queryFn: ({ signal }) => getJson<AuditEventPageView>(auditPageUrl(state), signal),
    // A 4xx (bad filter, lost permission) will not get better by asking again at once.
    retry: retryUnlessClientError,
  });
}

export function auditEventQueryOptions(sequence: string) {
  return queryOptions({
    queryKey: auditKeys.event(sequence),
    queryFn: ({ signal }) =>
      getJson<AuditEventView>(`/api/audit/events/${encodeURIComponent(sequence)}`, signal),
    // Hashed rows never change; an outcome may be appended to a pending one, hence not Infinity.
    staleTime: 60_000,
    retry: false,
  });
}

/** Download link for the filtered set (the cursor is dropped: an export is never one page). */
export function auditExportUrl(state: AuditSearchState, format: "csv" | "ndjson"): string {
  const params = auditStateToParams(state, { includeCursor: false });
  params.set("format", format);
  return `/api/audit/export?${params.toString()}`;
}
