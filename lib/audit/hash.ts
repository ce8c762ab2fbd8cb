import { createHash } from "node:crypto";
import { canonicalize } from "./canonical";
import type { CanonicalInput } from "./canonical";

/** prevHash of the first event, and the chain head's hash while the log is empty. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * Bumped if the hashed field set ever changes; part of every hash, so old and new events can
 * never be confused.
 */
export const AUDIT_HASH_VERSION = 1;

/** Every column of an AuditEvent except `hash` itself. */
export type HashableAuditEvent = {
  sequence: bigint;
  time: Date;
  actorOperatorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  outcome: string;
  relatedSequence: bigint | null;
  targetUserId: string | null;
  targetEmail: string | null;
  targetConnection: string | null;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: CanonicalInput;
  prevHash: string;
};

/**
 * The exact text that is hashed. Fields are listed explicitly (not spread) so a new column
 * never silently joins or leaves the hash; absent values are explicit nulls.
 */
export function serializeAuditEvent(event: HashableAuditEvent): string {
  return canonicalize({
    v: AUDIT_HASH_VERSION,
    sequence: event.sequence,
    time: event.time,
    actorOperatorId: event.actorOperatorId,
    actorEmail: event.actorEmail,
    actorRole: event.actorRole,
    action: event.action,
    outcome: event.outcome,
    relatedSequence: event.relatedSequence,
    targetUserId: event.targetUserId,
    targetEmail: event.targetEmail,
    targetConnection: event.targetConnection,
    reason: event.reason,
    requestId: event.requestId,
    ip: event.ip,
    userAgent: event.userAgent,
    details: event.details ?? {},
    prevHash: event.prevHash,
  });
}

/** SHA-256 (lower-case hex) of the canonical serialization, which includes prevHash. */
export function hashAuditEvent(event: HashableAuditEvent): string {
  return createHash("sha256").update(serializeAuditEvent(event), "utf8").digest("hex");
}
