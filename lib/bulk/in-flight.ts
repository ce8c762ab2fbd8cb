import "server-only";
import { Auth0Error, Auth0RateLimitError, listUserLogs, type ManagementApi } from "@/lib/auth0";
import { AuditOutcomeConflictError } from "@/lib/audit/append";
import { appendReconciliation } from "@/lib/audit/reconcile";
import type { PrismaClient } from "@/lib/db";
import { releaseIdempotencyKey } from "@/lib/danger-zone/idempotency";

/**
 * What became of a reset email whose runner died mid-call (its item's lease ran out while the
 * idempotency key was claimed but had no result), decided from the tenant's logs: Auth0 writes
 * an `scpr` event ("Successful change password request") for every reset email it sends.
 *
 * - no pending audit event for the key → the runner died before the pending write, and no
 *   Auth0 call is ever made before it (fail-closed): nothing was sent → safe to send;
 * - an `scpr` event for the user at or after the claim → it was sent → succeeded;
 * - none, once the old call can no longer be running or still be on its way into the logs
 *   (claim + lease + the log lag margin) → it was not sent → safe to send;
 * - none yet, before that → ask again at that moment;
 * - the logs cannot be read (scope withheld, Auth0 down) → outcome unknown (never sent twice).
 *
 * The pending audit event gets its outcome (details.reconciledFrom = "tenant_logs").
 */

export type InFlightDecision =
  | { kind: "sent" }
  | { kind: "not_sent" }
  | { kind: "wait"; until: Date }
  | { kind: "rate_limited"; retryAt: Date }
  | { kind: "unknown"; reason: string };

/** The reset email's log event type (Auth0: "Successful change password request"). */
export const RESET_EMAIL_LOG_TYPE = "scpr";
/** Clock skew allowed between Passdesk and Auth0 when comparing a log's date with the claim. */
const SKEW_MS = 5_000;

export type InFlightInput = {
  userId: string;
  idempotencyKey: string;
  /** The item's lease: no earlier call can still be running this long after its key was claimed. */
  leaseMs: number;
  /** How long Auth0 may take to show an event in its logs (BULK_LOG_LAG_SEC). */
  logLagMs: number;
  now?: number;
};

async function pendingEventOf(db: PrismaClient, idempotencyKey: string): Promise<bigint | null> {
  const rows = await db.$queryRaw<{ sequence: bigint }[]>`
    SELECT p."sequence" FROM "AuditEvent" p
    WHERE p."outcome"::text = 'PENDING' AND p."action" = 'password.reset_email'
      AND p."details"->>'idempotencyKey' = ${idempotencyKey}
      AND NOT EXISTS (SELECT 1 FROM "AuditEvent" o WHERE o."relatedSequence" = p."sequence")
    ORDER BY p."sequence" DESC LIMIT 1`;
  return rows[0]?.sequence ?? null;
}

async function settle(db: PrismaClient, sequence: bigint, outcome: "SUCCEEDED" | "FAILED"): Promise<void> {
  try {
    await appendReconciliation(db, sequence, outcome, { reconciledFrom: "tenant_logs" });
  } catch (error) {
    // Another runner or the reconciliation job was first: the outcome is recorded either way.
    if (!(error instanceof AuditOutcomeConflictError)) throw error;
  }
}

/** Decides, records the pending event's outcome, and releases the key when it is safe to send again. */
export async function reconcileInFlightResetEmail(
  db: PrismaClient,
  api: ManagementApi,
  input: InFlightInput,
): Promise<InFlightDecision> {
  const now = input.now ?? Date.now();
  const key = await db.idempotencyKey.findUnique({
    where: { key: input.idempotencyKey },
    select: { createdAt: true, result: true },
  });
  // Released meanwhile (the earlier attempt failed cleanly) or done: the normal path decides.
  if (!key || key.result !== null) return { kind: "not_sent" };
  const pending = await pendingEventOf(db, input.idempotencyKey);
  if (pending === null) {
    await releaseIdempotencyKey(db, input.idempotencyKey);
    return { kind: "not_sent" };
  }
  const claimedAt = key.createdAt.getTime();
  let events;
  try {
    events = (await listUserLogs(input.userId, { types: [RESET_EMAIL_LOG_TYPE], perPage: 20 }, api)).events;
  } catch (error) {
    if (error instanceof Auth0RateLimitError) return { kind: "rate_limited", retryAt: new Date(error.retryAt) };
    if (error instanceof Auth0Error) return { kind: "unknown", reason: error.name };
    throw error;
  }
  if (events.some((event) => Date.parse(event.date) >= claimedAt - SKEW_MS)) {
    await settle(db, pending, "SUCCEEDED");
    return { kind: "sent" };
  }
  const settledAt = claimedAt + input.leaseMs + input.logLagMs;
  if (now < settledAt) return { kind: "wait", until: new Date(settledAt) };
  await settle(db, pending, "FAILED");
  await releaseIdempotencyKey(db, input.idempotencyKey);
  return { kind: "not_sent" };
}
