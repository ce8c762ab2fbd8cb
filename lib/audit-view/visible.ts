import "server-only";
import { auditEventBatches, type AuditEventFilters, type AuditEventPage, type AuditEventRecord } from "@/lib/audit/query";
import type { ManagementApi } from "@/lib/auth0/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { usersInScope } from "@/lib/scope/resolve";
import type { AuditUserScope } from "./scope";

/**
 * Reading the audit log within an operator scope (issue 16). Whether an event's target user is
 * in the scope is a question for Auth0 (connections, organizations, a Lucene filter), so the
 * database reads batches by sequence and each batch's target users are asked at once
 * (lib/scope/resolve usersInScope: one search per 50 ids). Each user is asked once per read (a
 * page, an export), at the moment of that read — never taken from the page or an earlier read.
 */

/** Rows read per batch: a few Auth0 searches each. */
export const SCOPED_BATCH_SIZE = 200;
/**
 * Rows one page may look through before it answers with what it found (and a cursor to go on):
 * a scope that matches few events of a long log must not turn one page into thousands of
 * searches. The export has no such bound: it reads the whole set.
 */
export const SCOPED_SCAN_LIMIT = 2_000;

export type AuditGate = (events: readonly AuditEventRecord[]) => Promise<AuditEventRecord[]>;

/**
 * The events of a batch the user scope lets through, in order. Events without a target user were
 * already narrowed by the database (`untargeted`) to the reader's own, or dropped.
 */
export function createAuditGate(users: AuditUserScope, api: ManagementApi): AuditGate {
  const decided = new Map<string, boolean>();
  return async (events) => {
    const unknown = [...new Set(events.flatMap((event) => (event.targetUserId ? [event.targetUserId] : [])))].filter(
      (id) => !decided.has(id),
    );
    if (unknown.length > 0) {
      const inScope = await usersInScope(users.scope, unknown, api);
      for (const id of unknown) decided.set(id, inScope.has(id));
    }
    return events.filter((event) =>
      event.targetUserId
        ? decided.get(event.targetUserId) === true
        : users.ownOperatorId !== null && event.actorOperatorId === users.ownOperatorId,
    );
  };
}

/**
 * One page of at most `limit` visible events below `cursor`, newest first: batches are read
 * until the page is full, the log ends, or SCOPED_SCAN_LIMIT rows were looked at. `nextCursor`
 * is where the next page continues (the last row shown, or the last row looked at); a page
 * may then come back shorter than `limit`, even empty, and still have a next one.
 */
export async function listVisibleAuditEvents(
  db: PrismaClient,
  filters: AuditEventFilters,
  cursor: string | null,
  limit: number,
  gate: AuditGate,
): Promise<AuditEventPage> {
  const events: AuditEventRecord[] = [];
  let scanned = 0;
  for await (const batch of auditEventBatches(db, filters, { cursor, batchSize: SCOPED_BATCH_SIZE })) {
    const visible = await gate(batch.events);
    for (const event of visible) {
      events.push(event);
      if (events.length === limit) {
        const isLastRow = event === batch.events.at(-1);
        return { events, nextCursor: isLastRow && batch.nextCursor === null ? null : event.sequence };
      }
    }
    scanned += batch.events.length;
    if (batch.nextCursor !== null && scanned >= SCOPED_SCAN_LIMIT) return { events, nextCursor: batch.nextCursor };
  }
  return { events, nextCursor: null };
}

/** Every visible event matching the filters, newest first, batch by batch (exports). */
export async function* exportVisibleAuditEvents(
  db: PrismaClient,
  filters: AuditEventFilters,
  gate: AuditGate,
): AsyncGenerator<AuditEventRecord, void, undefined> {
  for await (const batch of auditEventBatches(db, filters)) yield* await gate(batch.events);
}
