import type { AuditDetails } from "@/lib/audit/details";
import type { AuditEventPage, AuditEventRecord } from "@/lib/audit/query";
import type { AuditOutcome, OperatorRole } from "@/lib/generated/prisma/enums";

/**
 * What the browser gets for an audit event: every stored field (support and auditors must be
 * able to check a row against its hash), times as ISO strings so the same shape travels through
 * RSC props, JSON route handlers and the TanStack cache. Pure and client-safe.
 */
export type AuditResolutionView = {
  sequence: string;
  outcome: AuditOutcome;
  time: string;
  details: AuditDetails;
};

export type AuditEventView = {
  sequence: string;
  time: string;
  actorOperatorId: string | null;
  actorEmail: string | null;
  actorRole: OperatorRole | null;
  action: string;
  outcome: AuditOutcome;
  relatedSequence: string | null;
  targetUserId: string | null;
  targetEmail: string | null;
  targetConnection: string | null;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: AuditDetails;
  prevHash: string;
  hash: string;
  resolution: AuditResolutionView | null;
  effectiveOutcome: AuditOutcome;
};

export type AuditEventPageView = {
  events: AuditEventView[];
  nextCursor: string | null;
};

/** How a row's outcome is shown: the four words an operator reads. */
export type AuditDisplayOutcome = "succeeded" | "failed" | "unknown" | "pending";

export function toAuditEventView(record: AuditEventRecord): AuditEventView {
  return {
    sequence: record.sequence,
    time: record.time.toISOString(),
    actorOperatorId: record.actorOperatorId,
    actorEmail: record.actorEmail,
    actorRole: record.actorRole,
    action: record.action,
    outcome: record.outcome,
    relatedSequence: record.relatedSequence,
    targetUserId: record.targetUserId,
    targetEmail: record.targetEmail,
    targetConnection: record.targetConnection,
    reason: record.reason,
    requestId: record.requestId,
    ip: record.ip,
    userAgent: record.userAgent,
    details: record.details,
    prevHash: record.prevHash,
    hash: record.hash,
    resolution: record.resolution
      ? {
          sequence: record.resolution.sequence,
          outcome: record.resolution.outcome,
          time: record.resolution.time.toISOString(),
          details: record.resolution.details,
        }
      : null,
    effectiveOutcome: record.effectiveOutcome,
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
