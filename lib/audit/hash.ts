import { createHash } from "node:crypto";
import { canonicalize } from "./canonical";
import type { CanonicalInput } from "./canonical";
import { AUDIT_HASHED_FIELDS, type HashableAuditEvent } from "./select";

/** prevHash of the first event, and the chain head's hash while the log is empty. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * Bumped if the hashed field set ever changes; part of every hash, so old and new events can
 * never be confused.
 */
export const AUDIT_HASH_VERSION = 1;

export type { HashableAuditEvent } from "./select";

/**
 * The exact text that is hashed: the version and every field of AUDIT_HASHED_FIELDS (absent
 * values are explicit nulls, missing details an empty object). Key order does not matter:
 * canonicalize sorts keys.
 */
export function serializeAuditEvent(event: HashableAuditEvent): string {
  const fields: Record<string, CanonicalInput> = { v: AUDIT_HASH_VERSION };
  for (const field of AUDIT_HASHED_FIELDS) {
    fields[field] = field === "details" ? (event.details ?? {}) : (event[field] ?? null);
  }
  return canonicalize(fields);
}

/** SHA-256 (lower-case hex) of the canonical serialization, which includes prevHash. */
export function hashAuditEvent(event: HashableAuditEvent): string {
  return createHash("sha256").update(serializeAuditEvent(event), "utf8").digest("hex");
}
