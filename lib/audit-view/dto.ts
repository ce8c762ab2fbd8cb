import type { AuditEventPage, AuditEventRecord, AuditResolution } from "@/lib/audit/query";

/**
 * What the browser gets for an audit event: every stored field (support and auditors must be
 * able to check a row against its hash), times as ISO strings so the same shape travels through
 * RSC props, JSON route handlers and the TanStack cache. Pure and client-safe.
 */
export type AuditResolutionView = Omit<AuditResolution, "time"> & { time: string };

export type AuditEventView = Omit<AuditEventRecord, "time" | "resolution"> & {
  time: string;
  resolution: AuditResolutionView | null;
};

export type AuditEventPageView = {
  events: AuditEventView[];
  nextCursor: string | null;
};

/** How a row's outcome is shown: the four words an operator reads. */
export type AuditDisplayOutcome = "succeeded" | "failed" | "unknown" | "pending";

export function toAuditEventView(record: AuditEventRecord): AuditEventView {
  const { time, resolution, ...fields } = record;
  return {
    ...fields,
    time: time.toISOString(),
    resolution: resolution ? { ...resolution, time: resolution.time.toISOString() } : null,
  };
}

export function toAuditEventPageView(page: AuditEventPage): AuditEventPageView {
  return { events: page.events.map(toAuditEventView), nextCursor: page.nextCursor };
}

/**
 * A PENDING event without a recorded outcome is "unknown" (the process may have died mid-call);
 * the library already folds that into effectiveOutcome. PENDING never shows as final.
 */
export function displayOutcome(event: Pick<AuditEventView, "effectiveOutcome">): AuditDisplayOutcome {
  switch (event.effectiveOutcome) {
    case "SUCCEEDED":
      return "succeeded";
    case "FAILED":
      return "failed";
    case "PENDING":
      return "pending";
    case "UNKNOWN":
      return "unknown";
  }
}

/** The part of an operation the row is, in the raw "events" view. */
export function eventStage(
  event: Pick<AuditEventView, "outcome" | "relatedSequence">,
): "request" | "outcome" | "single" {
  if (event.outcome === "PENDING") return "request";
  if (event.relatedSequence !== null) return "outcome";
  return "single";
}
