import "server-only";
import PgBoss from "pg-boss";
import type { PrismaClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import type { BulkJobDispatcher } from "./dispatch";
import type { BulkRunner } from "./runner";

/**
 * Bulk jobs on PostgreSQL run through pg-boss (docs/architecture.md, "Bulk job queue: pg-boss
 * on PostgreSQL, the lease poll on the embedded database"). pg-boss schedules *who works on a job
 * when*; the item lease and idempotency keys in runner.ts still decide *what each item does*, so
 * a queue job that runs twice (a crash between its continuation and its completion, a retry
 * after it expired) can never email anyone twice.
 *
 * - An approved or resumed bulk job gets `lanes` queue jobs, inserted in the transaction of its
 *   status change (dispatch.ts). Each instance works one queue job at a time (with the runner's
 *   `concurrency` items in flight, as the polling runner does), so up to `lanes` instances share
 *   one bulk job's items; an instance alone works the lanes in turn.
 * - A queue job is a *slice*: runner.runJob() for at most `sliceSec`, then — work left — it sends
 *   the lane's next slice and completes. Slices keep pg-boss's expiry short: a worker that died
 *   mid-slice leaves its queue job active until `expireSec` have passed; pg-boss's maintenance
 *   then retries it on any instance (and the dead worker's item leases run out on their own).
 * - The queue's policy is `short`: at most one *waiting* queue job per lane (singletonKey), so
 *   duplicated slices collapse back to one.
 * - stop() (SIGTERM): the slices stop leasing, their items in flight finish, each sends its
 *   continuation, then pg-boss stops (graceful: it waits for the handlers).
 */

export const BULK_QUEUE_NAME = "passdesk-bulk-job";

type LaneData = { bulkJobId: string; lane: number };

export type BulkQueueOptions = {
  /** PostgreSQL holding Passdesk's tables; pg-boss keeps its own tables in `schema`. */
  connectionString: string;
  /** pg-boss's schema, beside Passdesk's (never inside it: the schema-drift test checks ours). */
  schema: string;
  db: PrismaClient;
  runner: BulkRunner;
  /** Queue jobs per bulk job: how many instances may work on one job at once. */
  lanes: number;
  /** How long one slice works before handing over to the next one. */
  sliceSec: number;
  /** When pg-boss gives up on an active slice (its worker died); must exceed a slice plus its items in flight. */
  expireSec: number;
  /** pg-boss's maintenance interval (expiring dead slices); default min(sliceSec, 60). */
  maintenanceSec?: number;
  /** How often an idle worker asks for a queue job; default 2 s. */
  pollingSec?: number;
};

export type BulkQueue = {
  /** Creates or migrates pg-boss's schema, starts the workers, queues lanes for runnable jobs. */
  start(): Promise<void>;
  /** Graceful: slices finish their items in flight and hand over, then pg-boss stops. */
  stop(): Promise<void>;
  /** Queues the lanes of a job that became runnable, inside the caller's transaction. */
  dispatch: BulkJobDispatcher;
};

/** pg-boss's query interface over a Prisma transaction (its statements are schema-qualified). */
function onTransaction(tx: Prisma.TransactionClient): PgBoss.Db {
  return {
    async executeSql(text, values) {
      const params = values.map((value: unknown) =>
        value === undefined ? null : value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value,
      );
      return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...params) };
    },
  };
}

export function createBulkQueue(options: BulkQueueOptions): BulkQueue {
  const { runner, lanes, sliceSec, expireSec } = options;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: options.schema,
    max: 4,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceSec ?? Math.min(sliceSec, 60),
  });
  const shutdown = new AbortController();
  let started = false;

  const sendLane = (bulkJobId: string, lane: number, db?: PgBoss.Db) =>
    boss.send(BULK_QUEUE_NAME, { bulkJobId, lane } satisfies LaneData, {
      singletonKey: `${bulkJobId}:${lane}`,
      ...(db ? { db } : {}),
    });

  async function work([job]: PgBoss.Job<LaneData>[]): Promise<void> {
    if (!job) return;
    const { bulkJobId, lane } = job.data;
    const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(sliceSec * 1000)]);
    const result = await runner.runJob(bulkJobId, signal);
    // Done (finished, paused, cancelled): nothing follows; a resume queues new lanes.
    if (result === "interrupted") await sendLane(bulkJobId, lane);
  }

  async function ensureQueue(): Promise<void> {
    if (await boss.getQueue(BULK_QUEUE_NAME)) return;
    try {
      await boss.createQueue(BULK_QUEUE_NAME, {
        name: BULK_QUEUE_NAME,
        policy: "short",
        expireInSeconds: expireSec,
        retryLimit: 1_000,
        retryDelay: 1,
        retryBackoff: true,
      });
    } catch (error) {
      // Another instance created it at the same moment.
      if (!(await boss.getQueue(BULK_QUEUE_NAME))) throw error;
    }
  }

  /** Lanes for every job that may run and has work: approved while no queue ran, or left by a crash. */
  async function queueRunnableJobs(): Promise<void> {
    const jobs = await options.db.bulkJob.findMany({
      where: { status: { in: ["QUEUED", "RUNNING"] }, items: { some: { status: { in: ["QUEUED", "LEASED"] } } } },
      select: { id: true },
    });
    for (const { id } of jobs) for (let lane = 0; lane < lanes; lane++) await sendLane(id, lane);
  }

  return {
    async start() {
      if (started) return;
      started = true;
      boss.on("error", (error) => logger.error({ err: error.message }, "bulk queue (pg-boss) error"));
      await boss.start();
      await ensureQueue();
      await boss.work<LaneData>(BULK_QUEUE_NAME, { batchSize: 1, pollingIntervalSeconds: options.pollingSec ?? 2 }, work);
      await queueRunnableJobs();
    },
    async stop() {
      if (!started) return;
      started = false;
      shutdown.abort();
      await boss.stop({ graceful: true, wait: true, timeout: expireSec * 1000 });
    },
    async dispatch(tx, bulkJobId) {
      for (let lane = 0; lane < lanes; lane++) await sendLane(bulkJobId, lane, onTransaction(tx));
    },
  };
}
