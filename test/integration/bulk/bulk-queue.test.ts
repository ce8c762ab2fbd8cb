import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { setBulkJobDispatcher } from "@/lib/bulk/dispatch";
import { controlBulkJob, createBulkJob, decideBulkJob } from "@/lib/bulk/jobs";
import { BULK_QUEUE_NAME, createBulkQueue, type BulkQueue } from "@/lib/bulk/queue";
import { createBulkRunner, type BulkRunner } from "@/lib/bulk/runner";
import { emailsAt, M2M, RESET_CLIENT_ID, setUpHarness } from "../passwords/harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * Bulk jobs on PostgreSQL through pg-boss (lib/bulk/queue.ts) against the local tenant: the
 * approval queues the job in its own transaction, pg-boss's workers run it, a worker process
 * killed with SIGKILL mid-job is taken over, two instances share a job, pause and cancel.
 * PostgreSQL only: the embedded database has no queue library (it keeps the polling runner,
 * tested in bulk-jobs.test.ts), so without TEST_DATABASE_URL this file is skipped.
 */
const postgresUrl = process.env.TEST_DATABASE_URL || undefined;
const REASON = "INC-2077 forced resets after a breach";

describe.skipIf(!postgresUrl)("bulk jobs on the pg-boss queue (PostgreSQL)", () => {
  const h = setUpHarness({ postgresUrl });
  const uniqueEmail = emailsAt("queue.passdesk.test");
  const open: BulkQueue[] = [];
  const children: ChildProcess[] = [];
  /** pg-boss's own schema for this file, beside the harness's private schema. */
  const bossSchema = () => `${h.database.schema}_boss`;

  afterEach(async () => {
    await Promise.all(open.splice(0).map((queue) => queue.stop()));
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    setBulkJobDispatcher(h.database.prisma, null);
  });
  afterAll(async () => {
    await h.database?.sql.exec(`DROP SCHEMA IF EXISTS "${bossSchema()}" CASCADE`);
  });

  async function admin(name: string): Promise<OperatorIdentity> {
    return h.database.prisma.operator
      .create({
        data: { email: uniqueEmail(name), name, role: "ADMIN", passwordHash: "not-used" },
        select: identitySelect,
      })
      .then(toOperatorIdentity);
  }

  function runner(runnerId: string, maxRps = 1_000): BulkRunner {
    return createBulkRunner({ deps: h.deps, runnerId, leaseMs: 3_000, maxRps, idleMs: 50, concurrency: 2 });
  }

  /** An instance's queue: pg-boss on this file's schema, short slices, quick expiry. Not started. */
  function makeQueue(bulkRunner: BulkRunner, lanes = 1): BulkQueue {
    const queue = createBulkQueue({
      connectionString: postgresUrl as string,
      schema: bossSchema(),
      db: h.database.prisma,
      runner: bulkRunner,
      lanes,
      sliceSec: 2,
      expireSec: 6,
      maintenanceSec: 1,
      pollingSec: 0.5,
    });
    open.push(queue);
    return queue;
  }

  /** Starts an instance's queue and lets approvals through `h.database.prisma` dispatch to it. */
  async function startQueue(bulkRunner: BulkRunner, lanes = 1): Promise<BulkQueue> {
    const queue = makeQueue(bulkRunner, lanes);
    await queue.start();
    setBulkJobDispatcher(h.database.prisma, queue.dispatch);
    return queue;
  }

  /** A request over fresh tenant users (matched rows), approved by a second admin. */
  async function requestJob(count: number, prefix: string) {
    const [requester, approver] = [await admin(`${prefix}-req`), await admin(`${prefix}-app`)];
    const emails: string[] = [];
    const rows = [];
    for (let i = 0; i < count; i++) {
      const email = uniqueEmail(prefix);
      emails.push(email);
      const userId = await h.createUser(email, "Initial-Password-42!");
      rows.push({
        position: i + 2,
        input: email,
        status: "matched" as const,
        userId,
        connection: "Username-Password-Authentication",
      });
    }
    const created = await createBulkJob(
      h.database.prisma,
      {
        operation: "password.reset_email",
        reason: REASON,
        source: "csv",
        sourceLabel: `${prefix}.csv`,
        rows,
        approvalTtlSec: 3600,
      },
      { operator: requester, meta: h.meta },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const approve = () =>
      decideBulkJob(
        h.database.prisma,
        { jobId: created.data.jobId, decision: "approve", reason: "Checked: go ahead" },
        { operator: approver, meta: h.meta },
      );
    return { jobId: created.data.jobId, emails, requester, approver, approve };
  }

  /** The queue jobs pg-boss holds for a bulk job (live and archived), by state. */
  async function queueJobs(bulkJobId: string): Promise<string[]> {
    const rows = await h.database.sql.query<{ state: string }>(
      `SELECT state FROM "${bossSchema()}".job WHERE name = $1 AND data->>'bulkJobId' = $2
       UNION ALL SELECT state FROM "${bossSchema()}".archive WHERE name = $1 AND data->>'bulkJobId' = $2`,
      [BULK_QUEUE_NAME, bulkJobId],
    );
    return rows.map((row) => row.state).sort();
  }

  /** Every queue job of the bulk job completed: no slice waits, runs or retries. */
  async function allCompleted(bulkJobId: string): Promise<boolean> {
    const states = await queueJobs(bulkJobId);
    return states.length > 0 && states.every((state) => state === "completed");
  }

  async function outboxCounts(emails: readonly string[]): Promise<number[]> {
    const messages = (await (await h.fetch(`${h.tenant.url}/outbox.json`)).json()) as { to: string }[];
    return emails.map((email) => messages.filter((m) => m.to.toLowerCase() === email.toLowerCase()).length);
  }

  const jobStatus = async (jobId: string) =>
    (await h.database.prisma.bulkJob.findUnique({ where: { id: jobId }, select: { status: true } }))?.status;

  async function untilStatus(jobId: string, status: string) {
    await expect.poll(() => jobStatus(jobId), { timeout: 90_000, interval: 100 }).toBe(status);
  }

  async function itemCount(jobId: string, status: "SUCCEEDED" | "QUEUED" | "LEASED" | "CANCELLED") {
    return h.database.prisma.bulkJobItem.count({ where: { jobId, status } });
  }

  it("an approval queues exactly one queue job per lane, in its transaction; a rejection queues none", async () => {
    // pg-boss's schema and queue exist (another instance started once); no worker runs here.
    await (await startQueue(runner("earlier-instance"))).stop();
    setBulkJobDispatcher(h.database.prisma, makeQueue(runner("idle-instance")).dispatch);
    const approved = await requestJob(2, "enqueue");
    expect(await queueJobs(approved.jobId)).toEqual([]);
    expect(await approved.approve()).toEqual({ ok: true, data: { status: "QUEUED" } });
    expect(await queueJobs(approved.jobId)).toEqual(["created"]);
    // A second decision changes nothing and queues nothing.
    expect((await approved.approve()).ok).toBe(false);
    expect(await queueJobs(approved.jobId)).toEqual(["created"]);

    const rejected = await requestJob(1, "reject");
    const decided = await decideBulkJob(
      h.database.prisma,
      { jobId: rejected.jobId, decision: "reject", reason: "Not this way" },
      { operator: rejected.approver, meta: h.meta },
    );
    expect(decided).toEqual({ ok: true, data: { status: "REJECTED" } });
    expect(await queueJobs(rejected.jobId)).toEqual([]);
  });

  it("an approval whose transaction fails leaves neither the status change nor a queue job", async () => {
    await (await startQueue(runner("earlier-instance"))).stop();
    const queue = makeQueue(runner("tx-instance"));
    const job = await requestJob(1, "rollback");
    // The queue's insert fails after the status update ran in the same transaction.
    setBulkJobDispatcher(h.database.prisma, async (tx, bulkJobId) => {
      await queue.dispatch(tx, bulkJobId);
      throw new Error("connection lost after the queue insert");
    });
    await expect(job.approve()).rejects.toThrow("connection lost after the queue insert");
    expect(await jobStatus(job.jobId)).toBe("AWAITING_APPROVAL");
    expect(await queueJobs(job.jobId)).toEqual([]);
  });

  it("runs a job through pg-boss to completion: one email per user, the queue job completed", async () => {
    const worker = runner("instance-one");
    await startQueue(worker);
    const job = await requestJob(6, "complete");
    await job.approve();
    await untilStatus(job.jobId, "FINISHED");
    expect(await outboxCounts(job.emails)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await itemCount(job.jobId, "SUCCEEDED")).toBe(6);
    expect(worker.stats.items).toBe(6);
    // pg-boss completes the queue job (and any slice after it) once its handler returned.
    await expect.poll(() => allCompleted(job.jobId), { timeout: 30_000, interval: 100 }).toBe(true);
  });

  it("a worker process killed with SIGKILL mid-job: another instance finishes it, nobody is emailed twice", async () => {
    const job = await requestJob(10, "crash");
    // The first instance is its own process: pg-boss and the runner as worker.ts wires them.
    // One node process with tsx as its loader (tsx's CLI would run the script in a child of its
    // own, and SIGKILL would then miss the worker).
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", path.resolve(import.meta.dirname, "queue-worker.ts")],
      {
        env: {
          ...process.env,
          QUEUE_WORKER_DATABASE_URL: postgresUrl,
          QUEUE_WORKER_SCHEMA: h.database.schema,
          QUEUE_WORKER_BOSS_SCHEMA: bossSchema(),
          QUEUE_WORKER_TENANT_DOMAIN: h.tenant.domain,
          QUEUE_WORKER_CA_PEM: h.tenant.caPem,
          QUEUE_WORKER_CLIENT_ID: M2M.clientId,
          QUEUE_WORKER_CLIENT_SECRET: M2M.clientSecret,
          QUEUE_WORKER_RESET_CLIENT_ID: RESET_CLIENT_ID,
          QUEUE_WORKER_ID: "doomed-instance",
          QUEUE_WORKER_LEASE_MS: "3000",
          QUEUE_WORKER_MAX_RPS: "4",
          QUEUE_WORKER_EXPIRE_SEC: "6",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 60_000, interval: 100 }).toContain("ready");
    // Approved while only the doomed instance runs: it takes the one lane.
    setBulkJobDispatcher(h.database.prisma, makeQueue(runner("dispatch-only")).dispatch);
    await job.approve();
    await expect
      .poll(() => itemCount(job.jobId, "SUCCEEDED"), { timeout: 60_000, interval: 50 })
      .toBeGreaterThanOrEqual(3);
    const [doomedSlice] = await h.database.sql.query<{ id: string }>(
      `SELECT id FROM "${bossSchema()}".job WHERE name = $1 AND data->>'bulkJobId' = $2 AND state = 'active'`,
      [BULK_QUEUE_NAME, job.jobId],
    );
    if (!doomedSlice) throw new Error("the doomed instance holds no active slice");
    child.kill("SIGKILL");
    await expect.poll(() => child.signalCode, { timeout: 10_000, interval: 50 }).toBe("SIGKILL");
    const beforeTakeover = await itemCount(job.jobId, "SUCCEEDED");
    expect(beforeTakeover).toBeLessThan(10);
    expect(
      await h.database.prisma.bulkJobItem.count({ where: { jobId: job.jobId, leasedBy: "doomed-instance" } }),
    ).toBeGreaterThan(0);

    // The survivor starts after the kill; pg-boss hands it the dead instance's slice (retry
    // after expiry) or its start-up sweep queues the job again.
    const survivor = runner("survivor");
    await startQueue(survivor);
    await untilStatus(job.jobId, "FINISHED");
    const counts = await outboxCounts(job.emails);
    expect(counts.every((count) => count <= 1)).toBe(true);
    const items = await h.database.prisma.bulkJobItem.findMany({
      where: { jobId: job.jobId },
      orderBy: { position: "asc" },
      select: { status: true, errorCode: true, leasedBy: true },
    });
    // Succeeded items got exactly one email; an item whose call the kill cut off is
    // "outcome unknown", never sent again.
    items.forEach((item, index) => {
      if (item.status === "SUCCEEDED") expect(counts[index]).toBe(1);
      else expect([item.status, item.errorCode]).toEqual(["FAILED", "outcome_unknown"]);
    });
    expect(items.filter((item) => item.status === "FAILED").length).toBeLessThanOrEqual(1);
    expect(survivor.stats.items).toBeGreaterThan(0);
    expect(items.some((item) => item.leasedBy === "survivor")).toBe(true);
    // pg-boss itself took the dead instance's slice back: expired, retried, completed.
    await expect
      .poll(
        async () =>
          (
            await h.database.sql.query<{ state: string; retry_count: number }>(
              `SELECT state, retry_count FROM "${bossSchema()}".job WHERE id = $1
               UNION ALL SELECT state, retry_count FROM "${bossSchema()}".archive WHERE id = $1`,
              [doomedSlice.id],
            )
          )[0],
        { timeout: 60_000, interval: 200 },
      )
      .toEqual({ state: "completed", retry_count: 1 });
  }, 180_000);

  it("a graceful stop (SIGTERM) mid-job: items in flight finish, the slice hands over, the next instance finishes", async () => {
    const first = runner("stopping-instance", 4);
    const queue = await startQueue(first);
    const job = await requestJob(10, "graceful");
    await job.approve();
    await expect
      .poll(() => itemCount(job.jobId, "SUCCEEDED"), { timeout: 60_000, interval: 50 })
      .toBeGreaterThanOrEqual(2);
    await queue.stop();
    // Nothing left half-done, and the lane's next slice waits for any instance.
    expect(await itemCount(job.jobId, "LEASED")).toBe(0);
    const stoppedAt = await itemCount(job.jobId, "SUCCEEDED");
    expect(stoppedAt).toBeLessThan(10);
    const states = await queueJobs(job.jobId);
    expect(states.filter((state) => state === "created")).toEqual(["created"]);
    expect(states.filter((state) => state !== "created" && state !== "completed")).toEqual([]);
    expect(await jobStatus(job.jobId)).toBe("RUNNING");

    const next = runner("next-instance");
    await startQueue(next);
    await untilStatus(job.jobId, "FINISHED");
    expect(await outboxCounts(job.emails)).toEqual(Array(10).fill(1));
    expect(first.stats.items + next.stats.items).toBe(10);
  });

  it("two instances share one job's lanes without overlap", async () => {
    const [a, b] = [runner("instance-a", 20), runner("instance-b", 20)];
    await startQueue(a, 2);
    await startQueue(b, 2);
    const job = await requestJob(24, "share");
    await job.approve();
    await untilStatus(job.jobId, "FINISHED");
    expect(await outboxCounts(job.emails)).toEqual(Array(24).fill(1));
    const items = await h.database.prisma.bulkJobItem.findMany({
      where: { jobId: job.jobId },
      select: { status: true, attempts: true, leasedBy: true },
    });
    expect(items.every((item) => item.status === "SUCCEEDED" && item.attempts === 1)).toBe(true);
    expect(a.stats.items + b.stats.items).toBe(24);
    expect(new Set(items.map((item) => item.leasedBy))).toEqual(new Set(["instance-a", "instance-b"]));
  });

  it("pause stops the queue job with work left, resume queues it again, cancel ends it", async () => {
    const worker = runner("instance-pause", 4);
    await startQueue(worker);
    const job = await requestJob(12, "pause");
    await job.approve();
    await expect
      .poll(() => itemCount(job.jobId, "SUCCEEDED"), { timeout: 60_000, interval: 50 })
      .toBeGreaterThanOrEqual(2);
    const actor = { operator: job.requester, meta: h.meta };
    expect(await controlBulkJob(h.database.prisma, { jobId: job.jobId, command: "pause" }, actor)).toEqual({
      ok: true,
      data: { status: "PAUSED" },
    });
    // The slice sees the pause, lets its items in flight finish and completes without a successor.
    await expect.poll(() => allCompleted(job.jobId), { timeout: 30_000, interval: 100 }).toBe(true);
    expect(await itemCount(job.jobId, "LEASED")).toBe(0);
    const whilePaused = await itemCount(job.jobId, "SUCCEEDED");
    expect(whilePaused).toBeLessThan(12);

    expect(await controlBulkJob(h.database.prisma, { jobId: job.jobId, command: "resume" }, actor)).toEqual({
      ok: true,
      data: { status: "RUNNING" },
    });
    await expect
      .poll(() => itemCount(job.jobId, "SUCCEEDED"), { timeout: 60_000, interval: 50 })
      .toBeGreaterThan(whilePaused);
    expect(await controlBulkJob(h.database.prisma, { jobId: job.jobId, command: "cancel" }, actor)).toEqual({
      ok: true,
      data: { status: "CANCELLED" },
    });
    await expect.poll(() => allCompleted(job.jobId), { timeout: 30_000, interval: 100 }).toBe(true);
    expect(await itemCount(job.jobId, "LEASED")).toBe(0);
    const succeeded = await itemCount(job.jobId, "SUCCEEDED");
    expect(succeeded + (await itemCount(job.jobId, "CANCELLED"))).toBe(12);
    expect(await itemCount(job.jobId, "CANCELLED")).toBeGreaterThan(0);
    const counts = await outboxCounts(job.emails);
    expect(counts.filter((count) => count === 1)).toHaveLength(succeeded);
    expect(counts.every((count) => count <= 1)).toBe(true);
  });
});
