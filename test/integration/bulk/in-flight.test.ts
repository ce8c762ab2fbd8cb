import { describe, expect, it } from "vitest";
import { beginAuditedOperation } from "@/lib/audit/append";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { createBulkJob, decideBulkJob } from "@/lib/bulk/jobs";
import { createBulkRunner } from "@/lib/bulk/runner";
import { claimIdempotencyKey, idempotencyInputHash } from "@/lib/danger-zone/idempotency";
import { emailsAt, RESET_CLIENT_ID, DATABASE_CONNECTION, setUpHarness } from "../passwords/harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * A reset email whose runner died mid-call (the item's lease ran out with its key claimed and its
 * pending audit event written), settled from the tenant's logs (lib/bulk/in-flight.ts) — one test
 * per branch, against the real local tenant and its `scpr` log events:
 * sent → succeeded, no second email; provably not sent → sent once; not provable yet → back in
 * the queue until it is; logs unreadable → outcome unknown, nothing sent.
 */
const h = setUpHarness();
const uniqueEmail = emailsAt("inflight.passdesk.test");
const REASON = "INC-2043 interrupted bulk reset";
const LEASE_MS = 5_000;
const LOG_LAG_MS = 2_000;

async function admin(name: string): Promise<OperatorIdentity> {
  return h.database.prisma.operator
    .create({
      data: { email: `${name}-${Date.now()}@passdesk.test`, name, role: "ADMIN", passwordHash: "not-used" },
      select: identitySelect,
    })
    .then(toOperatorIdentity);
}

async function outboxCount(email: string): Promise<number> {
  const messages = (await (
    await h.fetch(`${h.tenant.url}/outbox.json?to=${encodeURIComponent(email)}`)
  ).json()) as unknown[];
  return messages.length;
}

/**
 * A one-user job as a dead runner left it: its item leased (lease ran out), its key claimed
 * `claimedAgoMs` ago, its pending audit event written, and — when `sent` — the reset email
 * really sent by the tenant before the process died (so only the outcome event is missing).
 */
async function crashedMidCall(options: { sent: boolean; claimedAgoMs: number }) {
  const [requester, approver] = [await admin("req"), await admin("app")];
  const email = uniqueEmail("crash");
  const userId = await h.createUser(email, "Initial-Password-42!");
  const created = await createBulkJob(
    h.database.prisma,
    {
      operation: "password.reset_email",
      reason: REASON,
      source: "csv",
      sourceLabel: "crash.csv",
      rows: [{ position: 2, input: email, status: "matched", userId, connection: DATABASE_CONNECTION }],
      approvalTtlSec: 3600,
    },
    { operator: requester, meta: h.meta },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const jobId = created.data.jobId;
  await decideBulkJob(
    h.database.prisma,
    { jobId, decision: "approve", reason: "Second pair of eyes: OK" },
    { operator: approver, meta: h.meta },
  );
  const item = await h.database.prisma.bulkJobItem.findFirstOrThrow({ where: { jobId } });
  await claimIdempotencyKey(h.database.prisma, {
    key: item.idempotencyKey,
    operatorId: requester.id,
    action: "password.reset_email",
    inputHash: idempotencyInputHash("password.reset_email", { userId, reason: REASON }),
  });
  await h.database.prisma.idempotencyKey.update({
    where: { key: item.idempotencyKey },
    data: { createdAt: new Date(Date.now() - options.claimedAgoMs) },
  });
  const pending = await beginAuditedOperation(h.database.prisma, {
    actor: { operatorId: requester.id, email: requester.email, role: requester.role },
    action: "password.reset_email",
    target: { userId, email, connection: DATABASE_CONNECTION },
    reason: REASON,
    request: h.meta,
    details: { connection: DATABASE_CONNECTION, idempotencyKey: item.idempotencyKey, bulkJobId: jobId },
  });
  if (options.sent)
    await h.auth.sendPasswordResetEmail({
      email,
      connection: DATABASE_CONNECTION,
      clientId: RESET_CLIENT_ID,
    });
  await h.database.prisma.bulkJobItem.update({
    where: { id: item.id },
    data: { status: "LEASED", leasedBy: "dead-runner", leaseUntil: new Date(Date.now() - 1000), attempts: 1 },
  });
  return {
    jobId,
    itemId: item.id,
    email,
    userId,
    key: item.idempotencyKey,
    pendingSequence: pending.sequence,
  };
}

function runner() {
  return createBulkRunner({
    deps: h.deps,
    runnerId: "after-crash",
    leaseMs: LEASE_MS,
    logLagMs: LOG_LAG_MS,
    maxRps: 1_000,
    idleMs: 50,
  });
}

async function itemOf(itemId: string) {
  const item = await h.database.prisma.bulkJobItem.findUniqueOrThrow({ where: { id: itemId } });
  return [item.status, item.errorCode];
}

/** The outcome events of the crashed call's pending event: [outcome, reconciledFrom]. */
async function outcomesOf(sequence: bigint) {
  const rows = await h.database.prisma.auditEvent.findMany({
    where: { relatedSequence: sequence },
    select: { outcome: true, details: true },
  });
  return rows.map((row) => [row.outcome, (row.details as Record<string, unknown>)["reconciledFrom"] ?? null]);
}

describe("a reset email cut off mid-call, settled from the tenant's logs", () => {
  it("sent before the crash: its scpr log event makes the item succeeded, and no second email goes out", async () => {
    const crash = await crashedMidCall({ sent: true, claimedAgoMs: 1_000 });
    expect(await outboxCount(crash.email)).toBe(1);
    expect(await runner().runNext()).toBe("processed");
    expect(await itemOf(crash.itemId)).toEqual(["SUCCEEDED", null]);
    expect(await outboxCount(crash.email)).toBe(1);
    expect(await outcomesOf(crash.pendingSequence)).toEqual([["SUCCEEDED", "tenant_logs"]]);
    const job = await h.database.prisma.bulkJob.findUniqueOrThrow({ where: { id: crash.jobId } });
    expect(job.status).toBe("FINISHED");
  });

  it("not sent, and no log event once lease and log lag have passed: sent now, exactly once", async () => {
    const crash = await crashedMidCall({ sent: false, claimedAgoMs: LEASE_MS + LOG_LAG_MS + 1_000 });
    expect(await runner().runNext()).toBe("processed");
    expect(await itemOf(crash.itemId)).toEqual(["SUCCEEDED", null]);
    expect(await outboxCount(crash.email)).toBe(1);
    expect(await outcomesOf(crash.pendingSequence)).toEqual([["FAILED", "tenant_logs"]]);
    // The new send is its own pending + succeeded pair for the same user.
    const events = await h.database.prisma.auditEvent.findMany({
      where: { action: "password.reset_email", targetUserId: crash.userId },
      orderBy: { sequence: "asc" },
      select: { outcome: true },
    });
    expect(events.map((event) => event.outcome)).toEqual(["PENDING", "FAILED", "PENDING", "SUCCEEDED"]);
  });

  it("no log event yet while the old call could still be running or on its way into the logs: back in the queue, nothing sent", async () => {
    const crash = await crashedMidCall({ sent: false, claimedAgoMs: 0 });
    const { createdAt: claimedAt } = await h.database.prisma.idempotencyKey.findUniqueOrThrow({
      where: { key: crash.key },
    });
    expect(await runner().runNext()).toBe("processed");
    const item = await h.database.prisma.bulkJobItem.findUniqueOrThrow({ where: { id: crash.itemId } });
    expect([item.status, item.errorCode, item.attempts]).toEqual(["QUEUED", "in_flight_check", 1]);
    expect(item.notBefore?.getTime()).toBe(claimedAt.getTime() + LEASE_MS + LOG_LAG_MS);
    expect(await outboxCount(crash.email)).toBe(0);
    expect(await outcomesOf(crash.pendingSequence)).toEqual([]);
  });

  it("logs unreadable (read:logs withheld): outcome unknown in the results, nothing sent", async () => {
    const crash = await crashedMidCall({ sent: false, claimedAgoMs: LEASE_MS + LOG_LAG_MS + 1_000 });
    expect((await h.control("PUT", "/scopes", { withhold: ["read:logs", "read:logs_users"] })).status).toBe(
      200,
    );
    try {
      expect(await runner().runNext()).toBe("processed");
    } finally {
      await h.control("PUT", "/scopes", { withhold: [] });
    }
    expect(await itemOf(crash.itemId)).toEqual(["FAILED", "outcome_unknown"]);
    expect(await outboxCount(crash.email)).toBe(0);
    expect(await outcomesOf(crash.pendingSequence)).toEqual([]);
  });
});
