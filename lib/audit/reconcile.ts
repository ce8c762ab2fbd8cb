import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import { appendAuditEvent } from "./append";
import type { AppendedAuditEvent, AuditActor } from "./append";
import { isAuditAction } from "./actions";
import type { AuditDetailsInput } from "./details";
import type { AuditEventRecord } from "./query";

/**
 * Pending events whose process died between the pending write and the outcome write. The
 * comparison with Auth0 (last_password_reset, tenant logs) is the caller's job; this module
 * finds the candidates and appends the outcome.
 */

export type UnresolvedPendingEvent = Pick<
  AuditEventRecord,
  | "sequence"
  | "time"
  | "action"
  | "actorOperatorId"
  | "actorEmail"
  | "targetUserId"
  | "targetEmail"
  | "targetConnection"
  | "details"
>;

/** PENDING events older than `olderThanMs` with no outcome event, oldest first. */
export async function findUnresolvedPending(
  db: PrismaClient,
  olderThanMs: number,
  options: { limit?: number } = {},
): Promise<UnresolvedPendingEvent[]> {
  const before = new Date(Date.now() - olderThanMs);
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1_000);
  const hits = await db.$queryRaw<{ sequence: bigint }[]>`
    SELECT p."sequence" FROM "AuditEvent" p
    WHERE p."outcome"::text = 'PENDING' AND p."time" < ${before}
      AND NOT EXISTS (SELECT 1 FROM "AuditEvent" o WHERE o."relatedSequence" = p."sequence")
    ORDER BY p."sequence" ASC LIMIT ${limit}`;
  if (hits.length === 0) return [];
  const rows = await db.auditEvent.findMany({
    where: { sequence: { in: hits.map((hit) => hit.sequence) } },
    orderBy: { sequence: "asc" },
    select: {
      sequence: true,
      time: true,
      action: true,
      actorOperatorId: true,
      actorEmail: true,
      targetUserId: true,
      targetEmail: true,
      targetConnection: true,
      details: true,
    },
  });
  return rows.map((row) => ({
    ...row,
    sequence: row.sequence.toString(),
    details: (row.details ?? {}) as UnresolvedPendingEvent["details"],
  }));
}

/**
 * Appends the outcome of a pending event found by reconciliation. Refused (AuditOutcomeConflictError)
 * if the event is not pending or already has an outcome — checked under the chain lock.
 * `details.reconciledFrom` should say how it was decided (`last_password_reset`).
 */
export async function appendReconciliation(
  db: PrismaClient,
  pendingSequence: bigint | string,
  outcome: "SUCCEEDED" | "FAILED" | "UNKNOWN",
  details: AuditDetailsInput,
  options: { actor?: AuditActor | null } = {},
): Promise<AppendedAuditEvent> {
  const sequence = BigInt(pendingSequence);
  const pending = await db.auditEvent.findUnique({
    where: { sequence },
    select: { action: true, targetUserId: true, targetEmail: true, targetConnection: true },
  });
  if (!pending || !isAuditAction(pending.action)) {
    throw new Error(`Audit event ${sequence} does not exist or has an unknown action`);
  }
  return appendAuditEvent(
    db,
    {
      action: pending.action,
      outcome,
      // Reconciliation is done by Passdesk itself unless an operator triggered it.
      actor: options.actor ?? null,
      target: {
        userId: pending.targetUserId,
        email: pending.targetEmail,
        connection: pending.targetConnection,
      },
      details,
      relatedSequence: sequence,
    },
    { detailsMode: "redact" },
  );
}
