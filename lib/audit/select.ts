import type { AuditEvent } from "../generated/prisma/client";
import type { CanonicalInput } from "./canonical";

/**
 * The one list of an audit event's fields. Everything else derives from it: the Prisma select
 * (here), the hashed serialization and its type (hash.ts), the record pages and exports see
 * (query.ts) and the browser's view (audit-view/dto.ts). Listed explicitly on purpose: a new
 * column joins the hash only by being added here (with a bump of AUDIT_HASH_VERSION).
 *
 * Not server-only: the audit:verify CLI imports it.
 */
export const AUDIT_HASHED_FIELDS = [
  "sequence",
  "time",
  "actorOperatorId",
  "actorEmail",
  "actorRole",
  "action",
  "outcome",
  "relatedSequence",
  "targetUserId",
  "targetEmail",
  "targetConnection",
  "reason",
  "requestId",
  "ip",
  "userAgent",
  "details",
  "prevHash",
] as const satisfies readonly (keyof AuditEvent)[];

export type AuditHashedField = (typeof AUDIT_HASHED_FIELDS)[number];

/** Every column of an audit event except `hash`, as the hash sees it (JSON details, enums as text). */
export type HashableAuditEvent = Omit<Pick<AuditEvent, AuditHashedField>, "details" | "actorRole" | "outcome"> & {
  actorRole: string | null;
  outcome: string;
  details: CanonicalInput;
};

/** Every column of an audit event: what the hash covers, plus the hash itself. */
export const AUDIT_EVENT_SELECT = Object.fromEntries(
  [...AUDIT_HASHED_FIELDS, "hash"].map((field) => [field, true]),
) as { readonly [Field in AuditHashedField | "hash"]: true };
