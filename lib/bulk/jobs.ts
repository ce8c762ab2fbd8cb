import "server-only";
import { randomUUID } from "node:crypto";
import { appendAuditEvent } from "@/lib/audit/append";
import type { AuditAction } from "@/lib/audit/actions";
import type { AuditDetailsInput } from "@/lib/audit/details";
import { toCsvLine } from "@/lib/audit/export-format";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { PrismaClient } from "@/lib/db";
import type { FourEyesFailure } from "@/lib/four-eyes/failure";
import type { BulkItemStatus, BulkJobStatus } from "@/lib/generated/prisma/enums";
import type { RequestMeta } from "@/lib/request-meta";
import { changeAndDispatch } from "./dispatch";
import type { BulkOperation, PreviewRow } from "./operations";

/**
 * Bulk jobs as data: create (an approval request), decide (four-eyes: never the requester),
 * pause / resume / cancel, progress and the results CSV. The runner (runner.ts) does the work.
 * Every state change is an audit event (`bulk.*`, details.bulkJobId), written before the change
 * takes effect where it can start work at Auth0 (fail-closed), after it otherwise.
 */

export type BulkActor = { operator: OperatorIdentity; meta: RequestMeta };

export type BulkJobFailure = FourEyesFailure<BulkJobStatus> | { code: "nothing_to_do" };

export type BulkJobResult<T> = { ok: true; data: T } | { ok: false; error: BulkJobFailure };

const fail = <T>(error: BulkJobFailure): BulkJobResult<T> => ({ ok: false, error });

/** Appends one of the job's own events (single-shot, SUCCEEDED). Throws when it cannot. */
export async function appendJobEvent(
  db: PrismaClient,
  action: Extract<AuditAction, `bulk.${string}`>,
  job: { id: string; operation: string },
  actor: BulkActor | null,
  extra: { reason?: string | null; details?: AuditDetailsInput } = {},
): Promise<void> {
  await appendAuditEvent(db, {
    action,
    outcome: "SUCCEEDED",
    actor: actor
      ? { operatorId: actor.operator.id, email: actor.operator.email, role: actor.operator.role }
      : null,
    reason: extra.reason ?? null,
    request: actor?.meta ?? { requestId: `bulk-${job.id}` },
    details: { bulkJobId: job.id, bulkOperation: job.operation, ...extra.details },
  });
}

export type CreateBulkJobInput = {
  operation: BulkOperation;
  reason: string;
  source: "csv" | "search";
  sourceLabel: string;
  rows: readonly PreviewRow[];
  approvalTtlSec: number;
};

/** Stores the job and its items as an approval request. Nothing runs until another admin approves. */
export async function createBulkJob(
  db: PrismaClient,
  input: CreateBulkJobInput,
  actor: BulkActor,
  now = new Date(),
): Promise<BulkJobResult<{ jobId: string; matched: number }>> {
  const matched = input.rows.filter((row) => row.status === "matched").length;
  if (matched === 0) return fail({ code: "nothing_to_do" });
  const job = await db.bulkJob.create({
    data: {
      operation: input.operation,
      reason: input.reason,
      source: input.source,
      sourceLabel: input.sourceLabel.slice(0, 1_000),
      status: "AWAITING_APPROVAL",
      requestedById: actor.operator.id,
      requestedByEmail: actor.operator.email,
      expiresAt: new Date(now.getTime() + input.approvalTtlSec * 1000),
      itemCount: input.rows.length,
    },
    select: { id: true, operation: true },
  });
  let isAuditStep = false;
  try {
    await db.bulkJobItem.createMany({
      data: input.rows.map((row) => ({
        jobId: job.id,
        position: row.position,
        input: row.input.slice(0, 512),
        userId: row.userId,
        idempotencyKey: randomUUID(),
        status: row.status === "matched" ? ("QUEUED" as const) : ("SKIPPED" as const),
        errorCode: row.status === "matched" ? null : row.status,
        finishedAt: row.status === "matched" ? null : now,
      })),
    });
    isAuditStep = true;
    await appendJobEvent(db, "bulk.created", job, actor, {
      reason: input.reason,
      details: { itemCount: input.rows.length, skippedCount: input.rows.length - matched },
    });
  } catch (error) {
    // No audit event, no job: an unrecorded request must not be approvable.
    await db.bulkJob.delete({ where: { id: job.id } }).catch(() => undefined);
    if (isAuditStep) return fail({ code: "audit_unavailable" });
    throw error;
  }
  return { ok: true, data: { jobId: job.id, matched } };
}

/** Marks requests nobody decided in time as expired (run by the runner's poll). */
export async function expireBulkApprovals(db: PrismaClient, now = new Date()): Promise<number> {
  const stale = await db.bulkJob.findMany({
    where: { status: "AWAITING_APPROVAL", expiresAt: { lte: now } },
    select: { id: true, operation: true },
    take: 50,
  });
  let expired = 0;
  for (const job of stale) {
    const { count } = await db.bulkJob.updateMany({
      where: { id: job.id, status: "AWAITING_APPROVAL" },
      data: { status: "EXPIRED", finishedAt: now },
    });
    if (count === 1) {
      expired += 1;
      await appendJobEvent(db, "bulk.expired", job, null).catch(() => undefined);
    }
  }
  return expired;
}

/**
 * Approves or rejects a request. Refused for the requester (whatever the UI shows: this is the
 * check), after the deadline, and when someone else decided first.
 */
export async function decideBulkJob(
  db: PrismaClient,
  input: { jobId: string; decision: "approve" | "reject"; reason: string },
  actor: BulkActor,
  now = new Date(),
): Promise<BulkJobResult<{ status: BulkJobStatus }>> {
  const job = await db.bulkJob.findUnique({
    where: { id: input.jobId },
    select: { id: true, operation: true, status: true, requestedById: true, expiresAt: true },
  });
  if (!job) return fail({ code: "not_found" });
  if (job.requestedById === actor.operator.id) return fail({ code: "own_request" });
  if (job.status !== "AWAITING_APPROVAL") return fail({ code: "wrong_state", status: job.status });
  if (job.expiresAt.getTime() <= now.getTime()) {
    await expireBulkApprovals(db, now);
    return fail({ code: "expired" });
  }
  const status: BulkJobStatus = input.decision === "approve" ? "QUEUED" : "REJECTED";
  // Claim the decision first (the decider is named while the job still waits, so no runner
  // starts it): of two deciders at once only one wins, and only the winner writes the event.
  const claimed = await db.bulkJob.updateMany({
    where: { id: job.id, status: "AWAITING_APPROVAL", decidedById: null, requestedById: { not: actor.operator.id } },
    data: { decidedById: actor.operator.id, decidedByEmail: actor.operator.email, decisionReason: input.reason, decidedAt: now },
  });
  if (claimed.count === 0) {
    const current = await db.bulkJob.findUnique({ where: { id: job.id }, select: { status: true } });
    return fail({ code: "wrong_state", status: current?.status ?? job.status });
  }
  // The audit event before the status: an approval is what lets the runner call Auth0 (fail-closed).
  try {
    await appendJobEvent(db, input.decision === "approve" ? "bulk.approved" : "bulk.rejected", job, actor, {
      reason: input.reason,
    });
  } catch {
    await db.bulkJob.updateMany({
      where: { id: job.id, status: "AWAITING_APPROVAL", decidedById: actor.operator.id },
      data: { decidedById: null, decidedByEmail: null, decisionReason: null, decidedAt: null },
    });
    return fail({ code: "audit_unavailable" });
  }
  const decide = async (tx: Pick<PrismaClient, "bulkJob">) =>
    (
      await tx.bulkJob.updateMany({
        where: { id: job.id, status: "AWAITING_APPROVAL", decidedById: actor.operator.id },
        data: { status, ...(status === "REJECTED" ? { finishedAt: now } : {}) },
      })
    ).count;
  // An approval hands the job to the queue (PostgreSQL) in the same transaction (dispatch.ts).
  const count = status === "QUEUED" ? await changeAndDispatch(db, job.id, decide) : await decide(db);
  if (count === 0) {
    // Expired or cancelled between the claim and now.
    const current = await db.bulkJob.findUnique({ where: { id: job.id }, select: { status: true } });
    return fail({ code: "wrong_state", status: current?.status ?? job.status });
  }
  if (status === "REJECTED")
    await db.bulkJobItem.updateMany({
      where: { jobId: job.id, status: "QUEUED" },
      data: { status: "CANCELLED", finishedAt: now },
    });
  return { ok: true, data: { status } };
}

const CONTROL: Record<
  "pause" | "resume" | "cancel",
  { from: BulkJobStatus[]; to: BulkJobStatus; event: "bulk.paused" | "bulk.resumed" | "bulk.cancelled" }
> = {
  pause: { from: ["QUEUED", "RUNNING"], to: "PAUSED", event: "bulk.paused" },
  resume: { from: ["PAUSED"], to: "RUNNING", event: "bulk.resumed" },
  cancel: { from: ["AWAITING_APPROVAL", "QUEUED", "RUNNING", "PAUSED"], to: "CANCELLED", event: "bulk.cancelled" },
};

/** Pause, resume or cancel. Items already leased finish; no new item starts unless resumed. */
export async function controlBulkJob(
  db: PrismaClient,
  input: { jobId: string; command: "pause" | "resume" | "cancel" },
  actor: BulkActor,
  now = new Date(),
): Promise<BulkJobResult<{ status: BulkJobStatus }>> {
  const rule = CONTROL[input.command];
  const job = await db.bulkJob.findUnique({ where: { id: input.jobId }, select: { id: true, operation: true, status: true } });
  if (!job) return fail({ code: "not_found" });
  if (!rule.from.includes(job.status)) return fail({ code: "wrong_state", status: job.status });
  if (input.command === "resume") {
    // Resuming lets the runner call Auth0 again: recorded first.
    try {
      await appendJobEvent(db, rule.event, job, actor);
    } catch {
      return fail({ code: "audit_unavailable" });
    }
  }
  const change = async (tx: Pick<PrismaClient, "bulkJob">) =>
    (
      await tx.bulkJob.updateMany({
        where: { id: job.id, status: { in: rule.from } },
        data: { status: rule.to, ...(rule.to === "CANCELLED" ? { finishedAt: now } : {}) },
      })
    ).count;
  // Resuming hands the job to the queue again (PostgreSQL), in the same transaction.
  const count = input.command === "resume" ? await changeAndDispatch(db, job.id, change) : await change(db);
  if (count === 0) return fail({ code: "wrong_state", status: job.status });
  if (rule.to === "CANCELLED")
    await db.bulkJobItem.updateMany({
      where: { jobId: job.id, status: "QUEUED" },
      data: { status: "CANCELLED", finishedAt: now },
    });
  // Stopping calls nothing at Auth0: a lost event must not keep the job running.
  if (input.command !== "resume") await appendJobEvent(db, rule.event, job, actor).catch(() => undefined);
  return { ok: true, data: { status: rule.to } };
}

export type BulkJobProgress = {
  id: string;
  operation: string;
  status: BulkJobStatus;
  reason: string;
  sourceLabel: string;
  requestedById: string;
  requestedByEmail: string;
  decidedByEmail: string | null;
  decisionReason: string | null;
  createdAt: string;
  expiresAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  total: number;
  counts: Record<"done" | "failed" | "skipped" | "cancelled" | "remaining", number>;
  /** Items finished per second over the last minute. */
  ratePerSec: number;
  /** Estimated seconds left at that rate; null when unknown. */
  secondsLeft: number | null;
};

const RATE_WINDOW_MS = 60_000;

export async function getBulkJobProgress(db: PrismaClient, jobId: string, now = new Date()): Promise<BulkJobProgress | null> {
  const job = await db.bulkJob.findUnique({ where: { id: jobId } });
  if (!job) return null;
  const grouped = await db.bulkJobItem.groupBy({ by: ["status"], where: { jobId }, _count: { _all: true } });
  const byStatus = (status: BulkItemStatus) => grouped.find((row) => row.status === status)?._count._all ?? 0;
  const windowStart = new Date(Math.max(now.getTime() - RATE_WINDOW_MS, (job.startedAt ?? now).getTime()));
  const recent = await db.bulkJobItem.count({
    where: { jobId, status: { in: ["SUCCEEDED", "FAILED"] }, finishedAt: { gte: windowStart } },
  });
  const windowSec = Math.max((now.getTime() - windowStart.getTime()) / 1000, 1);
  const ratePerSec = job.startedAt ? recent / windowSec : 0;
  const remaining = byStatus("QUEUED") + byStatus("LEASED");
  return {
    id: job.id,
    operation: job.operation,
    status: job.status,
    reason: job.reason,
    sourceLabel: job.sourceLabel,
    requestedById: job.requestedById,
    requestedByEmail: job.requestedByEmail,
    // A decision claimed but not yet recorded is no decision yet (decideBulkJob).
    decidedByEmail: job.status === "AWAITING_APPROVAL" ? null : job.decidedByEmail,
    decisionReason: job.status === "AWAITING_APPROVAL" ? null : job.decisionReason,
    createdAt: job.createdAt.toISOString(),
    expiresAt: job.expiresAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    total: job.itemCount,
    counts: {
      done: byStatus("SUCCEEDED"),
      failed: byStatus("FAILED"),
      skipped: byStatus("SKIPPED"),
      cancelled: byStatus("CANCELLED"),
      remaining,
    },
    ratePerSec: Math.round(ratePerSec * 100) / 100,
    secondsLeft: remaining === 0 ? 0 : ratePerSec > 0 ? Math.ceil(remaining / ratePerSec) : null,
  };
}

export type BulkJobSummary = Pick<
  BulkJobProgress,
  "id" | "operation" | "status" | "requestedByEmail" | "createdAt" | "expiresAt" | "total" | "reason"
> & { requestedById: string };

/** Newest first. */
export async function listBulkJobs(db: PrismaClient, take = 50): Promise<BulkJobSummary[]> {
  const jobs = await db.bulkJob.findMany({ orderBy: { createdAt: "desc" }, take });
  return jobs.map((job) => ({
    id: job.id,
    operation: job.operation,
    status: job.status,
    reason: job.reason,
    requestedById: job.requestedById,
    requestedByEmail: job.requestedByEmail,
    createdAt: job.createdAt.toISOString(),
    expiresAt: job.expiresAt.toISOString(),
    total: job.itemCount,
  }));
}

export const BULK_RESULTS_COLUMNS = ["position", "input", "user_id", "status", "error_code", "error_message", "attempts", "finished_at"] as const;

/** The results CSV (formula cells escaped by toCsvLine), in input order. */
export async function bulkResultsCsv(db: PrismaClient, jobId: string): Promise<string | null> {
  const job = await db.bulkJob.findUnique({ where: { id: jobId }, select: { id: true } });
  if (!job) return null;
  const items = await db.bulkJobItem.findMany({ where: { jobId }, orderBy: { position: "asc" } });
  return (
    toCsvLine(BULK_RESULTS_COLUMNS) +
    items
      .map((item) =>
        toCsvLine([
          item.position,
          item.input,
          item.userId,
          item.status.toLowerCase(),
          item.errorCode,
          item.errorMessage,
          item.attempts,
          item.finishedAt,
        ]),
      )
      .join("")
  );
}
