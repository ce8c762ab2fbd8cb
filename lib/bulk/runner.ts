import "server-only";
import { randomUUID } from "node:crypto";
import { rateLimitGroupOf } from "@/lib/auth0/busy-gate";
import { latestRateLimit } from "@/lib/auth0/rate-limit-headers";
import { identitySelect, toOperatorIdentity, type OperatorIdentity } from "@/lib/auth/operator-service";
import { isRole } from "@/lib/auth/permissions";
import { signOutAccount } from "@/lib/account/sign-out";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import type { OperationContext, OperationOptions } from "@/lib/danger-zone/operation";
import type { PasswordFailure, PasswordResult } from "@/lib/danger-zone/failures";
import { sendResetEmail } from "@/lib/danger-zone/send-reset-email";
import { setPassword } from "@/lib/danger-zone/set-password";
import { getRequestLogger } from "@/lib/logger";
import { Prisma } from "@/lib/generated/prisma/client";
import { generatePassword } from "@/lib/password-policy/generate";
import { reconcileInFlightResetEmail } from "./in-flight";
import { appendJobEvent, expireBulkApprovals } from "./jobs";
import type { BulkOperation } from "./operations";
import { delayBeforeNextCall } from "./rate-follower";

/**
 * The durable bulk runner. All state is in the database, so any process can pick up where
 * another stopped:
 * - an item is *leased* with one UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED): several
 *   runners (app instances) take different items of the same job, never the same one;
 * - a lease that ran out (its runner died) may be taken again; the item's idempotency key then
 *   tells what happened: done → its stored result, never started → done now, a reset email
 *   started but unanswered → decided from the tenant's logs (in-flight.ts: sent → succeeded,
 *   provably not sent → sent now, logs unreadable → "outcome unknown", never sent twice); other
 *   started-but-unanswered calls → "outcome unknown" (recorded as failed);
 * - each item runs the Danger Zone operation skeleton (lib/danger-zone/operation.ts) with the
 *   requester as actor: pending audit event before the Auth0 call (fail-closed), outcome after,
 *   details.bulkJobId linking it to the job;
 * - pacing follows Auth0's x-ratelimit-* headers and retry-after (rate-follower.ts) under the
 *   BULK_MAX_RPS ceiling; a 429 or a 5xx before the call reached Auth0 puts the item back with a
 *   back-off, so no item fails from a 429.
 *
 * Scheduling has two drivers (lib/bulk/worker.ts picks one): start() polls every job — the
 * embedded database's mode, one process and no queue library — and runJob() works one job's
 * items for as long as pg-boss gives it (lib/bulk/queue.ts, PostgreSQL). Both lease items the
 * same way, so what an item does and how often is decided here, never by the scheduler.
 */

export type BulkRunnerOptions = {
  deps: DangerZoneDeps;
  /** Names this runner in leases (several per process are fine). */
  runnerId?: string;
  leaseMs: number;
  maxRps: number;
  /** Poll interval when there is nothing to do. */
  idleMs?: number;
  /** Tries of an item that keeps failing with a 5xx before it is recorded as failed. */
  maxAttempts?: number;
  /** Items in flight at once in start() (one item's calls are sequential). Default 4. */
  concurrency?: number;
  /**
   * How long Auth0 may take to show an event in its logs (BULK_LOG_LAG_SEC), ms: a reset email
   * cut off mid-call is resent only when its log event is still missing this long after the
   * old call can no longer be running. Default 60 s.
   */
  logLagMs?: number;
};

export type BulkRunner = {
  readonly runnerId: string;
  /** Leases and runs one item (of `jobId` only, when given); "idle" when there is no work. */
  runNext(jobId?: string): Promise<"processed" | "idle">;
  /** Runs until stop(). */
  start(): void;
  /**
   * Works one job's items with `concurrency` slots until nothing of it is left to run ("done":
   * no queued or leased item, or the job was paused, cancelled or finished) or `signal` aborts
   * ("interrupted": the items in flight finish first). Shares this runner's pacing with start().
   */
  runJob(jobId: string, signal: AbortSignal): Promise<"done" | "interrupted">;
  /** Finishes the current item, then stops. */
  stop(): Promise<void>;
  /** What this runner saw (bench and tests): items run and 429s met. */
  readonly stats: { items: number; rateLimited: number };
};

type LeasedItem = {
  id: string;
  jobId: string;
  position: number;
  userId: string | null;
  idempotencyKey: string;
  attempts: number;
  previousStatus: string;
  operation: string;
  reason: string;
  requestedById: string;
  jobStatus: string;
};

type ItemOutcome =
  | { kind: "succeeded" }
  | { kind: "failed"; code: string; message: string | null }
  | { kind: "retry"; notBefore: Date; countsAsAttempt: boolean; code: string; message?: string };

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** Groups each operation's calls land in (users.get reads; a set is a write). */
const GROUPS_OF: Record<BulkOperation, string[]> = {
  "password.reset_email": [rateLimitGroupOf("users.get")],
  "password.force_reset": [rateLimitGroupOf("users.get"), rateLimitGroupOf("users.set_password")],
  "sessions.revoke": [
    rateLimitGroupOf("users.get"),
    rateLimitGroupOf("users.sessions.list"),
    rateLimitGroupOf("users.refreshToken.list"),
    rateLimitGroupOf("users.refreshToken.delete"),
    rateLimitGroupOf("users.sessions.delete"),
  ],
};

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function createBulkRunner(options: BulkRunnerOptions): BulkRunner {
  const { deps, leaseMs } = options;
  const { db } = deps;
  const runnerId = options.runnerId ?? `runner-${randomUUID()}`;
  const maxAttempts = options.maxAttempts ?? 6;
  const idleMs = options.idleMs ?? 1_000;
  const logLagMs = options.logLagMs ?? 60_000;
  let lastStartAt: number | null = null;
  let blockedUntil: number | null = null;
  let loop: Promise<void> | null = null;
  let abort = new AbortController();
  let lastExpiryCheck = 0;
  let inFlight = 0;
  // Pacing decisions are taken one at a time, so concurrent slots never start together blindly.
  let pacing: Promise<void> = Promise.resolve();
  const stats = { items: 0, rateLimited: 0 };

  async function lease(jobId?: string): Promise<LeasedItem | null> {
    const onlyJob = jobId ? Prisma.sql`AND j."id" = ${jobId}` : Prisma.empty;
    const rows = await db.$queryRaw<LeasedItem[]>`
      WITH picked AS (
        SELECT i."id", i."status"::text AS "previousStatus"
        FROM "BulkJobItem" i JOIN "BulkJob" j ON j."id" = i."jobId"
        WHERE j."status" IN ('QUEUED', 'RUNNING')
          AND (i."status" = 'QUEUED' OR (i."status" = 'LEASED' AND i."leaseUntil" < now()))
          AND (i."notBefore" IS NULL OR i."notBefore" <= now())
          ${onlyJob}
        ORDER BY j."createdAt", i."position"
        LIMIT 1
        FOR UPDATE OF i SKIP LOCKED
      )
      UPDATE "BulkJobItem" AS item
      SET "status" = 'LEASED', "leasedBy" = ${runnerId},
          "leaseUntil" = now() + (${leaseMs}::int * interval '1 millisecond'),
          "attempts" = item."attempts" + 1
      FROM picked, "BulkJob" job
      WHERE item."id" = picked."id" AND job."id" = item."jobId"
      RETURNING item."id", item."jobId", item."position", item."userId", item."idempotencyKey",
        item."attempts", picked."previousStatus", job."operation", job."reason", job."requestedById",
        job."status"::text AS "jobStatus"`;
    return rows[0] ?? null;
  }

  async function markStarted(item: LeasedItem): Promise<void> {
    if (item.jobStatus !== "QUEUED") return;
    const { count } = await db.bulkJob.updateMany({
      where: { id: item.jobId, status: "QUEUED" },
      data: { status: "RUNNING", startedAt: new Date() },
    });
    if (count === 1)
      await appendJobEvent(db, "bulk.started", { id: item.jobId, operation: item.operation }, null, {
        details: { via: runnerId },
      }).catch(() => undefined);
  }

  async function finishIfDone(jobId: string, operation: string): Promise<void> {
    const open = await db.bulkJobItem.count({ where: { jobId, status: { in: ["QUEUED", "LEASED"] } } });
    if (open > 0) return;
    const { count } = await db.bulkJob.updateMany({
      where: { id: jobId, status: { in: ["RUNNING", "QUEUED"] } },
      data: { status: "FINISHED", finishedAt: new Date() },
    });
    if (count !== 1) return;
    const grouped = await db.bulkJobItem.groupBy({ by: ["status"], where: { jobId }, _count: { _all: true } });
    const n = (status: string) => grouped.find((row) => row.status === status)?._count._all ?? 0;
    await appendJobEvent(db, "bulk.finished", { id: jobId, operation }, null, {
      details: {
        succeededCount: n("SUCCEEDED"),
        failedCount: n("FAILED"),
        skippedCount: n("SKIPPED"),
        cancelledCount: n("CANCELLED"),
      },
    }).catch(() => undefined);
  }

  function backoff(attempts: number): Date {
    return new Date(Date.now() + Math.min(BACKOFF_BASE_MS * 2 ** Math.max(attempts - 1, 0), BACKOFF_MAX_MS));
  }

  function judge(result: PasswordResult<unknown>, item: LeasedItem): ItemOutcome | null {
    if (result.ok) return null;
    const failure: PasswordFailure = result.failure;
    switch (failure.code) {
      case "rate_limited": {
        const retryAt = Date.parse(failure.retryAt);
        stats.rateLimited += 1;
        blockedUntil = Math.max(blockedUntil ?? 0, retryAt);
        // Not the item's fault and nothing happened at Auth0: wait and go on.
        return { kind: "retry", notBefore: new Date(retryAt), countsAsAttempt: false, code: "rate_limited" };
      }
      case "in_progress":
        // The key was claimed by an earlier lease whose runner died mid-call: it may have
        // reached Auth0. Never send it twice.
        return item.previousStatus === "LEASED"
          ? { kind: "failed", code: "outcome_unknown", message: null }
          : { kind: "retry", notBefore: backoff(item.attempts), countsAsAttempt: true, code: "in_progress" };
      case "audit_unavailable":
        return { kind: "retry", notBefore: backoff(item.attempts), countsAsAttempt: true, code: failure.code };
      case "upstream_unavailable":
        if (failure.isOutcomeUnknown) return { kind: "failed", code: "outcome_unknown", message: failure.kind };
        return {
          kind: "retry",
          notBefore: backoff(item.attempts),
          countsAsAttempt: true,
          code: "upstream_unavailable",
          message: failure.kind,
        };
      case "rejected":
        return { kind: "failed", code: "rejected", message: failure.auth0Message };
      case "policy":
        return { kind: "failed", code: "policy", message: failure.kind };
      case "no_database_identity":
        return { kind: "failed", code: "not_database", message: failure.providers.join(" ") };
      default:
        return { kind: "failed", code: failure.code, message: null };
    }
  }

  /**
   * The reset email step; null when sent. A key claimed by a lease that ran out is settled from
   * the tenant's logs first (in-flight.ts), so the email goes out once and only once.
   */
  async function resetEmail(
    item: LeasedItem,
    userId: string,
    idempotencyKey: string,
    context: OperationContext,
    options: OperationOptions,
  ): Promise<ItemOutcome | null> {
    const send = () => sendResetEmail(deps, { userId, reason: item.reason, idempotencyKey }, context, options);
    const result = await send();
    if (result.ok || result.failure.code !== "in_progress" || item.previousStatus !== "LEASED") return judge(result, item);
    const decision = await reconcileInFlightResetEmail(db, deps.api, { userId, idempotencyKey, leaseMs, logLagMs });
    (await getRequestLogger()).info(
      { jobId: item.jobId, position: item.position, decision: decision.kind },
      "bulk reset email cut off mid-call, checked in the tenant's logs",
    );
    switch (decision.kind) {
      case "sent":
        return null;
      case "not_sent":
        // Released: the earlier call provably sent nothing. A new claim (never the old one) sends it.
        return judge(await send(), { ...item, previousStatus: "QUEUED" });
      case "wait":
        // Not provable yet either way: come back once it is (not a failed attempt).
        return { kind: "retry", notBefore: decision.until, countsAsAttempt: false, code: "in_flight_check" };
      case "rate_limited":
        stats.rateLimited += 1;
        blockedUntil = Math.max(blockedUntil ?? 0, decision.retryAt.getTime());
        return { kind: "retry", notBefore: decision.retryAt, countsAsAttempt: false, code: "rate_limited" };
      case "unknown":
        return { kind: "failed", code: "outcome_unknown", message: decision.reason };
    }
  }

  async function runItem(item: LeasedItem, actor: OperatorIdentity): Promise<ItemOutcome> {
    if (!item.userId) return { kind: "failed", code: "unknown", message: null };
    const context = {
      operator: actor,
      meta: { requestId: `bulk-${item.jobId}-${item.position}`, ip: null, userAgent: `passdesk-bulk (${runnerId})` },
    };
    const options = { auditDetails: { bulkJobId: item.jobId, bulkOperation: item.operation } };
    const operation = item.operation as BulkOperation;
    switch (operation) {
      case "password.reset_email":
        return (await resetEmail(item, item.userId, item.idempotencyKey, context, options)) ?? { kind: "succeeded" };
      case "password.force_reset": {
        // A random password nobody sees (it lives only in this call), then the reset email.
        // Each step has its own key: after a crash, a done step replays its stored result.
        const password = generatePassword({ policy: "excellent", minLength: 32 }, 32);
        const set = await setPassword(
          deps,
          { userId: item.userId, reason: item.reason, idempotencyKey: `${item.idempotencyKey}:set`, password, generated: true },
          context,
          options,
        );
        const setOutcome = judge(set, item);
        if (setOutcome) return setOutcome;
        return (await resetEmail(item, item.userId, `${item.idempotencyKey}:email`, context, options)) ?? { kind: "succeeded" };
      }
      case "sessions.revoke": {
        // Any user (social and enterprise too): revokes refresh tokens and ends sessions.
        const result = await signOutAccount(
          deps,
          { userId: item.userId, reason: item.reason, idempotencyKey: item.idempotencyKey },
          context,
          options,
        );
        return judge(result, item) ?? { kind: "succeeded" };
      }
      default:
        return { kind: "failed", code: "unsupported_operation", message: null };
    }
  }

  async function record(item: LeasedItem, outcome: ItemOutcome): Promise<void> {
    const mine = { id: item.id, status: "LEASED" as const, leasedBy: runnerId };
    if (outcome.kind === "retry" && (!outcome.countsAsAttempt || item.attempts < maxAttempts)) {
      await db.bulkJobItem.updateMany({
        where: mine,
        data: {
          status: "QUEUED",
          leasedBy: null,
          leaseUntil: null,
          notBefore: outcome.notBefore,
          errorCode: outcome.code,
          ...(outcome.countsAsAttempt ? {} : { attempts: { decrement: 1 } }),
        },
      });
      return;
    }
    await db.bulkJobItem.updateMany({
      where: mine,
      data:
        outcome.kind === "succeeded"
          ? { status: "SUCCEEDED", errorCode: null, errorMessage: null, leaseUntil: null, finishedAt: new Date() }
          : {
              status: "FAILED",
              errorCode: outcome.code,
              errorMessage: outcome.message?.slice(0, 500) ?? null,
              leaseUntil: null,
              finishedAt: new Date(),
            },
    });
  }

  async function requesterOf(item: LeasedItem): Promise<OperatorIdentity | null> {
    const row = await db.operator.findUnique({
      where: { id: item.requestedById },
      select: { ...identitySelect, disabled: true },
    });
    // Only bulk:run holders (admins) act through a job; a demoted or disabled requester stops it.
    if (!row || row.disabled || !isRole(row.role) || row.role !== "ADMIN") return null;
    return toOperatorIdentity(row);
  }

  async function runNext(jobId?: string): Promise<"processed" | "idle"> {
    if (Date.now() - lastExpiryCheck > 30_000) {
      lastExpiryCheck = Date.now();
      await expireBulkApprovals(db);
    }
    const item = await lease(jobId);
    if (!item) return "idle";
    await markStarted(item);
    const groups = GROUPS_OF[item.operation as BulkOperation] ?? [];
    const myTurn = pacing.then(async () => {
      const wait = delayBeforeNextCall({
        now: Date.now(),
        lastStartAt,
        maxRps: options.maxRps,
        observations: groups.map((group) => latestRateLimit(group)),
        blockedUntil,
        inFlight,
      });
      await sleep(wait);
      lastStartAt = Date.now();
      inFlight += 1;
    });
    pacing = myTurn;
    await myTurn;
    try {
      await processLeased(item);
    } finally {
      inFlight -= 1;
    }
    return "processed";
  }

  async function processLeased(item: LeasedItem): Promise<void> {
    const actor = await requesterOf(item);
    let outcome: ItemOutcome;
    try {
      // The requester left or lost the role: their approved job must not act in their name.
      outcome = actor ? await runItem(item, actor) : { kind: "failed", code: "requester_inactive", message: null };
    } catch (error) {
      (await getRequestLogger()).error(
        { jobId: item.jobId, position: item.position, err: error instanceof Error ? error.message : String(error) },
        "bulk item failed unexpectedly",
      );
      outcome = { kind: "retry", notBefore: backoff(item.attempts), countsAsAttempt: true, code: "internal_error" };
    }
    await record(item, outcome);
    stats.items += 1;
    await finishIfDone(item.jobId, item.operation);
  }

  /** True while the job may run and has an item queued or leased (perhaps by a dead runner). */
  async function hasOpenWork(jobId: string): Promise<boolean> {
    const open = await db.bulkJobItem.findFirst({
      where: { jobId, status: { in: ["QUEUED", "LEASED"] }, job: { status: { in: ["QUEUED", "RUNNING"] } } },
      select: { id: true },
    });
    return open !== null;
  }

  /** `concurrency` slots leasing until `signal` aborts or (with a job) its work is done. */
  async function runSlots(signal: AbortSignal, jobId?: string): Promise<void> {
    const slot = async () => {
      while (!signal.aborted) {
        let result: "processed" | "idle" = "idle";
        try {
          result = await runNext(jobId);
          if (result === "idle" && jobId && !(await hasOpenWork(jobId))) return;
        } catch (error) {
          (await getRequestLogger()).error(
            { runnerId, err: error instanceof Error ? error.message : String(error) },
            "bulk runner poll failed",
          );
        }
        // Idle: items waiting for a back-off, or leased by a runner that may have died.
        if (result === "idle") await sleep(idleMs, signal);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, slot));
  }

  return {
    runnerId,
    runNext,
    stats,
    start() {
      if (loop) return;
      abort = new AbortController();
      loop = runSlots(abort.signal);
    },
    async runJob(jobId, signal) {
      await runSlots(signal, jobId);
      return signal.aborted ? "interrupted" : "done";
    },
    async stop() {
      abort.abort();
      await loop;
      loop = null;
    },
  };
}
