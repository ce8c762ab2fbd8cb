import "server-only";
import { getUser, type ManagementApi } from "@/lib/auth0";
import { AuditOutcomeConflictError } from "@/lib/audit/append";
import { appendReconciliation, findUnresolvedPending } from "@/lib/audit/reconcile";
import type { PrismaClient } from "@/lib/db";
import { getRequestLogger } from "@/lib/logger";

/**
 * Settles `password.set` events left PENDING (the process died, or the database failed, between
 * the PATCH and the outcome event) by asking Auth0: a `last_password_reset` at or after the
 * pending event proves the change happened; one before it (once the call can no longer be in
 * flight) proves it did not.
 */

/** Older than any request could still be running (timeouts are seconds). */
const SETTLE_AFTER_MS = 2 * 60_000;
/** Clock skew allowed between Passdesk and Auth0. */
const SKEW_MS = 5_000;

export type ReconcileDecision = "SUCCEEDED" | "FAILED" | null;

/** Pure decision, exported for tests. */
export function decidePasswordSet(
  pendingTime: Date,
  lastPasswordReset: string | null,
  now = Date.now(),
): ReconcileDecision {
  const seen = lastPasswordReset ? Date.parse(lastPasswordReset) : Number.NaN;
  if (!Number.isNaN(seen) && seen >= pendingTime.getTime() - SKEW_MS) return "SUCCEEDED";
  if (now - pendingTime.getTime() >= SETTLE_AFTER_MS) return "FAILED";
  return null;
}

export type ReconcileOptions = {
  /** Only pending events older than this (a younger one may still have its request in flight). */
  olderThanMs?: number;
  /** At most this many events per run (the job comes back for the rest). */
  limit?: number;
  /** Throw instead of logging when the run cannot complete (the CLI reports it in its exit code). */
  isStrict?: boolean;
};

/**
 * Settles what it can and returns how many pending events got an outcome. Safe to run from
 * several processes at once: the outcome is appended under the audit chain lock, which refuses
 * a second outcome for the same event (AuditOutcomeConflictError — another run was first).
 * Unless `isStrict`, never throws for Auth0 or database trouble; the next run tries again.
 */
export async function reconcilePendingPasswordSets(
  db: PrismaClient,
  api: ManagementApi,
  options: ReconcileOptions = {},
): Promise<number> {
  try {
    const pending = (
      await findUnresolvedPending(db, options.olderThanMs ?? 30_000, { limit: options.limit ?? 200 })
    ).filter((event) => event.action === "password.set" && event.targetUserId);
    let settled = 0;
    const lastResetByUser = new Map<string, string | null>();
    for (const event of pending) {
      const userId = event.targetUserId as string;
      if (!lastResetByUser.has(userId))
        lastResetByUser.set(userId, (await getUser(userId, api))?.lastPasswordReset ?? null);
      const lastPasswordReset = lastResetByUser.get(userId) ?? null;
      const decision = decidePasswordSet(new Date(event.time), lastPasswordReset);
      if (!decision) continue;
      try {
        await appendReconciliation(db, event.sequence, decision, {
          reconciledFrom: "last_password_reset",
          lastPasswordReset,
        });
        settled += 1;
      } catch (error) {
        if (!(error instanceof AuditOutcomeConflictError)) throw error;
      }
    }
    return settled;
  } catch (error) {
    if (options.isStrict) throw error;
    (await getRequestLogger()).warn(
      { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
      "password reconciliation stopped; the next run tries again",
    );
    return 0;
  }
}
