import "server-only";
import { expirePasswordApprovals } from "@/lib/approvals/password-approvals";
import { getManagementApi, type ManagementApi } from "@/lib/auth0";
import { getPrisma, type PrismaClient } from "@/lib/db";
import { logger } from "@/lib/logger";
import { pruneIdempotencyKeys } from "./idempotency";
import { reconcilePendingPasswordSets, type ReconcileOptions } from "./reconcile";

/**
 * The Danger Zone's background work, done on a schedule instead of as a side effect of someone
 * opening a profile: settle "outcome unknown" password changes from Auth0's last_password_reset,
 * prune idempotency keys nobody can still be double-submitting, and expire protected-user
 * approval requests nobody decided or used in time (approval.expired).
 *
 * Started once per server process (instrumentation.ts) and runnable by hand
 * (`npm run audit:reconcile`). Several instances may run it at the same time: a reconciliation
 * outcome is appended under the audit chain lock, which refuses a second outcome for the same
 * event, and pruning is an idempotent delete.
 */

export type MaintenanceReport = { reconciled: number; prunedIdempotencyKeys: number; expiredApprovals: number };

export async function runDangerZoneMaintenance(
  deps: { db: PrismaClient; api: ManagementApi },
  options: ReconcileOptions & { idempotencyKeyMaxAgeMs?: number } = {},
): Promise<MaintenanceReport> {
  const reconciled = await reconcilePendingPasswordSets(deps.db, deps.api, options);
  const prunedIdempotencyKeys = await pruneIdempotencyKeys(deps.db, {
    maxAgeMs: options.idempotencyKeyMaxAgeMs,
  }).catch((error: unknown) => {
    if (options.isStrict) throw error;
    logger.warn(
      { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
      "idempotency key pruning skipped; the next run tries again",
    );
    return 0;
  });
  // Expiry allows nothing (an expired approval is refused by its deadline anyway): best effort.
  const expiredApprovals = await expirePasswordApprovals(deps.db).catch((error: unknown) => {
    if (options.isStrict) throw error;
    logger.warn(
      { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
      "approval expiry skipped; the next run tries again",
    );
    return 0;
  });
  return { reconciled, prunedIdempotencyKeys, expiredApprovals };
}

const globalForSchedule = globalThis as typeof globalThis & { passdeskMaintenance?: NodeJS.Timeout };

/**
 * Runs the maintenance every `intervalSec` seconds in this process (0 = never). Idempotent: a
 * second call (dev-mode reload) keeps the first schedule. Runs never overlap, and the timer
 * does not keep the process alive.
 */
export function startDangerZoneMaintenance(intervalSec: number): void {
  if (intervalSec <= 0 || globalForSchedule.passdeskMaintenance) return;
  let isRunning = false;
  const tick = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      const report = await runDangerZoneMaintenance({ db: await getPrisma(), api: getManagementApi() });
      if (report.reconciled > 0 || report.prunedIdempotencyKeys > 0 || report.expiredApprovals > 0) logger.info(report, "maintenance run");
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
        "maintenance run failed; the next run tries again",
      );
    } finally {
      isRunning = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalSec * 1000);
  timer.unref();
  globalForSchedule.passdeskMaintenance = timer;
}
