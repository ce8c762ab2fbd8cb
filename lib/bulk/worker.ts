import "server-only";
import { hostname } from "node:os";
import { getDangerZoneDeps } from "@/lib/danger-zone/deps";
import { getRequestLogger } from "@/lib/logger";
import { getEnv } from "@/lib/server-env";
import { createBulkRunner, type BulkRunner } from "./runner";

/**
 * One bulk runner per server process, started from instrumentation.ts. It polls the database
 * for approved jobs; all its state is in the database, so a restarted process (or another
 * instance) carries on where this one stopped. With the embedded database the one process is
 * the one runner; with PostgreSQL every instance runs one and they share the items.
 */
const holder = globalThis as typeof globalThis & { __passdeskBulkRunner?: BulkRunner };

export async function startBulkWorker(): Promise<void> {
  if (holder.__passdeskBulkRunner) return;
  const env = getEnv();
  const runner = createBulkRunner({
    deps: await getDangerZoneDeps(),
    runnerId: `${hostname()}:${process.pid}`,
    leaseMs: env.BULK_LEASE_SEC * 1000,
    maxRps: env.BULK_MAX_RPS,
    logLagMs: env.BULK_LOG_LAG_SEC * 1000,
  });
  holder.__passdeskBulkRunner = runner;
  runner.start();
  (await getRequestLogger()).info({ runnerId: runner.runnerId, maxRps: env.BULK_MAX_RPS }, "bulk runner started");
}
