import "server-only";
import { hostname } from "node:os";
import { getDangerZoneDeps } from "@/lib/danger-zone/deps";
import { getRequestLogger } from "@/lib/logger";
import { getEnv, type Env } from "@/lib/server-env";
import { onShutdown } from "@/lib/shutdown";
import { setBulkJobDispatcher } from "./dispatch";
import { expireBulkApprovals } from "./jobs";
import { createBulkQueue } from "./queue";
import { createBulkRunner, type BulkRunner } from "./runner";

/**
 * One bulk worker per server process, started from instrumentation.ts, in one of two modes:
 * - `queue` (PostgreSQL, DATABASE_URL set): pg-boss (queue.ts) in its own schema
 *   `passdesk_pgboss` beside Passdesk's tables. Approvals and resumes queue the job; pg-boss's
 *   worker runs it through the runner; every instance runs one and they share a job's items.
 * - `poll` (the embedded database): the runner's own poll loop. There is one process and no
 *   queue library — pg-boss needs a PostgreSQL server it can reach over the network, and the
 *   embedded PGlite is a single session inside this process (docs/architecture.md).
 * Either way all state is in the database, so a restarted process carries on where this one
 * stopped. On SIGTERM (scripts/server.ts) the items in flight finish before the process exits.
 */
export const BULK_QUEUE_SCHEMA = "passdesk_pgboss";

export type BulkWorkerMode = "queue" | "poll";

export function bulkWorkerMode(env: Pick<Env, "DATABASE_URL">): BulkWorkerMode {
  return env.DATABASE_URL ? "queue" : "poll";
}

const holder = globalThis as typeof globalThis & { __passdeskBulkRunner?: BulkRunner };

export async function startBulkWorker(): Promise<void> {
  if (holder.__passdeskBulkRunner) return;
  const env = getEnv();
  const deps = await getDangerZoneDeps();
  const runner = createBulkRunner({
    deps,
    runnerId: `${hostname()}:${process.pid}`,
    leaseMs: env.BULK_LEASE_SEC * 1000,
    maxRps: env.BULK_MAX_RPS,
    logLagMs: env.BULK_LOG_LAG_SEC * 1000,
  });
  holder.__passdeskBulkRunner = runner;
  const mode = bulkWorkerMode(env);
  if (mode === "queue" && env.DATABASE_URL) {
    const queue = createBulkQueue({
      connectionString: env.DATABASE_URL,
      schema: BULK_QUEUE_SCHEMA,
      db: deps.db,
      runner,
      lanes: env.BULK_QUEUE_LANES,
      // A slice holds its queue job about as long as an item lease; pg-boss gives a dead
      // worker's slice to another instance once it is well past that.
      sliceSec: env.BULK_LEASE_SEC,
      expireSec: env.BULK_LEASE_SEC * 2 + 60,
    });
    await queue.start();
    setBulkJobDispatcher(deps.db, queue.dispatch);
    // The poll loop expires undecided requests as it goes; pg-boss runs the runner only while a
    // job has work, so here a timer does it (conditional updates: safe on every instance).
    const expiry = setInterval(() => {
      expireBulkApprovals(deps.db).catch(async (error: unknown) =>
        (await getRequestLogger()).error({ err: error instanceof Error ? error.message : String(error) }, "bulk approval expiry failed"),
      );
    }, 30_000);
    expiry.unref();
    onShutdown(async () => {
      clearInterval(expiry);
      setBulkJobDispatcher(deps.db, null);
      await queue.stop();
    });
  } else {
    runner.start();
    onShutdown(() => runner.stop());
  }
  (await getRequestLogger()).info(
    { runnerId: runner.runnerId, mode, maxRps: env.BULK_MAX_RPS, ...(mode === "queue" ? { lanes: env.BULK_QUEUE_LANES } : {}) },
    "bulk worker started",
  );
}
