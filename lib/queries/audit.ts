import { queryOptions } from "@tanstack/react-query";
import type { AuditEventPageView, AuditEventView } from "@/lib/audit-view/dto";
import { AUDIT_PAGE_SIZE, auditStateToParams, type AuditSearchState } from "@/lib/validations/audit";

/** An error answer of /api/audit/*, with the stable code the UI translates. */
export class AuditApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = "AuditApiError";
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; requestId?: unknown } };

async function getJson<T>(url: string, signal: AbortSignal | undefined): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new AuditApiError(0, "network", "The network request failed.", null);
  }
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  const detail = body.error ?? {};
  throw new AuditApiError(
    response.status,
    typeof detail.code === "string" ? detail.code : "internal",
    typeof detail.message === "string" ? detail.message : response.statusText,
    typeof detail.requestId === "string" ? detail.requestId : null,
  );
}

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
    retry: (failureCount, error) =>
      !(error instanceof AuditApiError && error.status >= 400 && error.status < 500) && failureCount < 1,
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
