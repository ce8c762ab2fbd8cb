import "server-only";
import { getUser, type ManagementApi } from "@/lib/auth0";
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
  /** Only this user's events (the profile page passes the user it just loaded). */
  userId?: string;
  /** The user's `last_password_reset` when the caller already has it (saves an Auth0 read). */
  knownLastPasswordReset?: string | null;
  olderThanMs?: number;
};

/** Returns how many pending events got an outcome. Never throws for Auth0 or database trouble. */
export async function reconcilePendingPasswordSets(
  db: PrismaClient,
  api: ManagementApi,
  options: ReconcileOptions = {},
): Promise<number> {
  try {
    const pending = (await findUnresolvedPending(db, options.olderThanMs ?? 30_000, { limit: 200 })).filter(
      (event) =>
        event.action === "password.set" &&
        event.targetUserId &&
        (!options.userId || event.targetUserId === options.userId),
    );
    let settled = 0;
    const lastResetByUser = new Map<string, string | null>();
    if (options.userId && options.knownLastPasswordReset !== undefined) {
      lastResetByUser.set(options.userId, options.knownLastPasswordReset);
    }
    for (const event of pending) {
      const userId = event.targetUserId as string;
      if (!lastResetByUser.has(userId))
        lastResetByUser.set(userId, (await getUser(userId, api))?.lastPasswordReset ?? null);
      const lastPasswordReset = lastResetByUser.get(userId) ?? null;
      const decision = decidePasswordSet(new Date(event.time), lastPasswordReset);
      if (!decision) continue;
      await appendReconciliation(db, event.sequence, decision, {
        reconciledFrom: "last_password_reset",
        lastPasswordReset,
      });
      settled += 1;
    }
    return settled;
  } catch (error) {
    (await getRequestLogger()).warn(
      { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
      "password reconciliation skipped",
    );
    return 0;
  }
}
