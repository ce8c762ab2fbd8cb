import { describe, expect, it } from "vitest";
import { resetAuth0BusyGates } from "@/lib/auth0/busy-gate";
import { resetRateLimitObservations } from "@/lib/auth0/rate-limit-headers";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { claimIdempotencyKey, idempotencyInputHash } from "@/lib/danger-zone/idempotency";
import { bulkResultsCsv, createBulkJob, decideBulkJob, getBulkJobProgress } from "@/lib/bulk/jobs";
import { countPreview } from "@/lib/bulk/operations";
import { previewBulkSource } from "@/lib/bulk/preview";
import { createBulkRunner, type BulkRunner } from "@/lib/bulk/runner";
import { emailsAt, insertOperator, setUpHarness } from "../passwords/harness";

const h = setUpHarness();
const uniqueEmail = emailsAt("bulk.passdesk.test");
const REASON = "INC-2042 credential stuffing wave";
const SOCIAL_USER = "google.demo@gmail.example";

async function admin(name: string): Promise<OperatorIdentity> {
  return insertOperator(h.database.prisma, { email: `${name}-${Date.now()}@passdesk.test`, name, role: "ADMIN" });
}

function csv(column: string, values: readonly string[]) {
  return {
    kind: "csv" as const,
    fileName: "users.csv",
    contentBase64: Buffer.from(`${column}\n${values.join("\n")}\n`, "utf8").toString("base64"),
  };
}

async function createUsers(count: number, prefix: string): Promise<string[]> {
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = uniqueEmail(prefix);
    await h.createUser(email, "Initial-Password-42!");
    emails.push(email);
  }
  return emails;
}

/** Outbox messages per address (the tenant's inspectable outbox). */
async function outboxCounts(emails: readonly string[]): Promise<Record<string, number>> {
  const messages = (await (await h.fetch(`${h.tenant.url}/outbox.json`)).json()) as { to: string }[];
  const counts: Record<string, number> = {};
  for (const email of emails) counts[email] = messages.filter((m) => m.to.toLowerCase() === email.toLowerCase()).length;
  return counts;
}

function ones(emails: readonly string[]): Record<string, number> {
  return Object.fromEntries(emails.map((email) => [email, 1]));
}

/** A requested and approved job over `emails` (resolved through the real preview). */
async function approvedJob(emails: readonly string[], requester: OperatorIdentity, approver: OperatorIdentity, operation: "password.reset_email" | "password.force_reset" = "password.reset_email") {
  const preview = await previewBulkSource(h.api, csv("email", emails));
  if (!preview.ok) throw new Error(JSON.stringify(preview.problem));
  const created = await createBulkJob(
    h.database.prisma,
    { operation, reason: REASON, source: "csv", sourceLabel: preview.sourceLabel, rows: preview.rows, approvalTtlSec: 3600 },
    { operator: requester, meta: h.meta },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const decided = await decideBulkJob(
    h.database.prisma,
    { jobId: created.data.jobId, decision: "approve", reason: "Second pair of eyes: OK" },
    { operator: approver, meta: h.meta },
  );
  expect(decided).toEqual({ ok: true, data: { status: "QUEUED" } });
  return created.data.jobId;
}

async function drain(runners: readonly BulkRunner[], jobId: string): Promise<void> {
  for (const runner of runners) runner.start();
  // Wait on the condition (the job finished), not on a clock.
  await expect
    .poll(async () => (await h.database.prisma.bulkJob.findUnique({ where: { id: jobId } }))?.status, {
      timeout: 120_000,
      interval: 200,
    })
    .toBe("FINISHED");
  await Promise.all(runners.map((runner) => runner.stop()));
}

function runner(runnerId: string, options: { maxRps?: number; maxAttempts?: number; concurrency?: number } = {}) {
  return createBulkRunner({
    deps: h.deps,
    runnerId,
    leaseMs: 60_000,
    maxRps: options.maxRps ?? 1_000,
    idleMs: 50,
    maxAttempts: options.maxAttempts ?? 6,
    concurrency: options.concurrency ?? 4,
  });
}

async function setLowRateLimit() {
  resetAuth0BusyGates();
  resetRateLimitObservations();
  const response = await h.control("PUT", "/rate-limits", {
    reset: true,
    groups: { "users:read": { burst: 5, perMinute: 600 }, "users:write": { burst: 5, perMinute: 600 } },
  });
  expect(response.status).toBe(200);
}

async function turnRateLimitOff() {
  await h.control("PUT", "/rate-limits", { disabled: true });
}

describe("bulk jobs against the local tenant", () => {
  it("previews a CSV: matched, unknown, ambiguous-free duplicates and social users skipped", async () => {
    const emails = await createUsers(3, "preview");
    const aliceId = await h.findUserId("alice.demo@example.com");
    const preview = await previewBulkSource(h.api, csv("email", [...emails, "nobody@bulk.passdesk.test", SOCIAL_USER]));
    expect(preview.ok && countPreview(preview.rows)).toEqual({ matched: 3, unknown: 1, ambiguous: 0, duplicate: 0, not_database: 1 });
    const byId = await previewBulkSource(h.api, csv("user_id", [aliceId, "auth0|does-not-exist"]));
    expect(byId.ok && byId.rows.map((row) => [row.position, row.status])).toEqual([
      [2, "matched"],
      [3, "unknown"],
    ]);
    const bad = await previewBulkSource(h.api, csv("email", [emails[0] as string, (emails[0] as string).toUpperCase()]));
    expect(bad).toEqual({ ok: false, problem: { code: "duplicate", lines: [2, 3] } });
  });

  it("a requester can never approve their own request", async () => {
    const requester = await admin("requester");
    const emails = await createUsers(1, "own");
    const preview = await previewBulkSource(h.api, csv("email", emails));
    if (!preview.ok) throw new Error("preview failed");
    const created = await createBulkJob(
      h.database.prisma,
      { operation: "password.reset_email", reason: REASON, source: "csv", sourceLabel: "x.csv", rows: preview.rows, approvalTtlSec: 3600 },
      { operator: requester, meta: h.meta },
    );
    if (!created.ok) throw new Error("create failed");
    const own = await decideBulkJob(
      h.database.prisma,
      { jobId: created.data.jobId, decision: "approve", reason: "I approve myself" },
      { operator: requester, meta: h.meta },
    );
    expect(own).toEqual({ ok: false, error: { code: "own_request" } });
    const job = await h.database.prisma.bulkJob.findUnique({ where: { id: created.data.jobId } });
    expect(job?.status).toBe("AWAITING_APPROVAL");
    // Nothing runs while it waits.
    expect(await runner("idle-runner").runNext()).toBe("idle");
    const approvals = await h.database.prisma.auditEvent.count({ where: { action: "bulk.approved" , details: { path: ["bulkJobId"], equals: created.data.jobId } } });
    expect(approvals).toBe(0);
  });

  it("runs 50 users under a low tenant rate limit: one email each, no item failed by a 429", async () => {
    const [requester, approver] = [await admin("req50"), await admin("app50")];
    await turnRateLimitOff();
    const emails = await createUsers(50, "fifty");
    const jobId = await approvedJob([...emails, "ghost@bulk.passdesk.test", SOCIAL_USER], requester, approver);
    await setLowRateLimit();
    try {
      await drain([runner("runner-50")], jobId);
    } finally {
      await turnRateLimitOff();
    }
    expect(await outboxCounts(emails)).toEqual(ones(emails));
    const progress = await getBulkJobProgress(h.database.prisma, jobId);
    expect(progress?.counts).toEqual({ done: 50, failed: 0, skipped: 2, cancelled: 0, remaining: 0 });
    const itemEvents = await h.database.prisma.auditEvent.findMany({
      where: { action: "password.reset_email", outcome: "PENDING", details: { path: ["bulkJobId"], equals: jobId } },
      select: { targetEmail: true, actorOperatorId: true, reason: true },
    });
    expect(itemEvents).toHaveLength(50);
    expect(new Set(itemEvents.map((event) => event.targetEmail))).toEqual(new Set(emails.map((e) => e.toLowerCase())));
    expect(itemEvents.every((event) => event.actorOperatorId === requester.id && event.reason === REASON)).toBe(true);
    const jobEvents = await h.database.prisma.auditEvent.findMany({
      where: { action: { startsWith: "bulk." }, details: { path: ["bulkJobId"], equals: jobId } },
      orderBy: { sequence: "asc" },
      select: { action: true },
    });
    expect(jobEvents.map((event) => event.action)).toEqual(["bulk.created", "bulk.approved", "bulk.started", "bulk.finished"]);
    const results = (await bulkResultsCsv(h.database.prisma, jobId)) ?? "";
    expect(results.split("\r\n")[0]).toBe("position,input,user_id,status,error_code,error_message,attempts,finished_at");
    expect(results).toContain(",ghost@bulk.passdesk.test,,skipped,unknown,");
    expect(results.match(/,succeeded,/g)).toHaveLength(50);
  });

  it("survives a restart mid-job: resumes, never sends twice; a key claimed before any audit event (so before any call) is sent once", async () => {
    const [requester, approver] = [await admin("reqR"), await admin("appR")];
    await turnRateLimitOff();
    const emails = await createUsers(12, "restart");
    const jobId = await approvedJob(emails, requester, approver);
    const first = runner("before-restart");
    for (let i = 0; i < 5; i++) expect(await first.runNext()).toBe("processed");
    // The process died while holding two items: one had claimed its key but not yet written its
    // pending audit event (no Auth0 call comes before it), one had not started yet. Their leases
    // ran out. (Calls cut off after the pending event: test/integration/bulk/in-flight.test.ts.)
    const [interrupted, notStarted] = await h.database.prisma.bulkJobItem.findMany({
      where: { jobId, status: "QUEUED" },
      orderBy: { position: "asc" },
      take: 2,
    });
    if (!interrupted || !notStarted) throw new Error("expected queued items");
    await claimIdempotencyKey(h.database.prisma, {
      key: interrupted.idempotencyKey,
      operatorId: requester.id,
      action: "password.reset_email",
      inputHash: idempotencyInputHash("password.reset_email", { userId: interrupted.userId, reason: REASON }),
    });
    await h.database.prisma.bulkJobItem.updateMany({
      where: { id: { in: [interrupted.id, notStarted.id] } },
      data: { status: "LEASED", leasedBy: "before-restart", leaseUntil: new Date(Date.now() - 1000), attempts: 1 },
    });
    await drain([runner("after-restart")], jobId);
    const counts = await outboxCounts(emails);
    expect(counts).toEqual(ones(emails));
    const after = await h.database.prisma.bulkJobItem.findUnique({ where: { id: interrupted.id } });
    expect([after?.status, after?.errorCode, after?.leasedBy]).toEqual(["SUCCEEDED", null, "after-restart"]);
    const resumed = await h.database.prisma.bulkJobItem.findUnique({ where: { id: notStarted.id } });
    expect([resumed?.status, resumed?.leasedBy]).toEqual(["SUCCEEDED", "after-restart"]);
  });

  it("two runners share one job without overlap", async () => {
    const [requester, approver] = [await admin("reqP"), await admin("appP")];
    await turnRateLimitOff();
    const emails = await createUsers(30, "parallel");
    const jobId = await approvedJob(emails, requester, approver);
    const [a, b] = [runner("runner-a"), runner("runner-b")];
    await drain([a, b], jobId);
    expect(await outboxCounts(emails)).toEqual(ones(emails));
    const items = await h.database.prisma.bulkJobItem.findMany({ where: { jobId }, select: { leasedBy: true, attempts: true, status: true } });
    expect(items.every((item) => item.status === "SUCCEEDED" && item.attempts === 1)).toBe(true);
    expect(a.stats.items + b.stats.items).toBe(30);
    expect(new Set(items.map((item) => item.leasedBy))).toEqual(new Set(["runner-a", "runner-b"]));
  });

  it("force reset: the old password stops working at once, one reset email each, a set and an email event per user", async () => {
    const [requester, approver] = [await admin("reqF"), await admin("appF")];
    await turnRateLimitOff();
    const emails = await createUsers(3, "force");
    const jobId = await approvedJob(emails, requester, approver, "password.force_reset");
    await drain([runner("runner-force")], jobId);
    for (const email of emails) expect(await h.canSignIn(email, "Initial-Password-42!")).toBe(false);
    expect(await outboxCounts(emails)).toEqual(ones(emails));
    const events = await h.database.prisma.auditEvent.findMany({
      where: { details: { path: ["bulkJobId"], equals: jobId }, outcome: "PENDING" },
      select: { action: true },
    });
    expect(events.map((event) => event.action).sort()).toEqual([
      ...Array(3).fill("password.reset_email"),
      ...Array(3).fill("password.set"),
    ]);
  });

  it("backs off through a spell of 5xx and lists Auth0's reason for items that still fail", async () => {
    const [requester, approver] = [await admin("req5"), await admin("app5")];
    await turnRateLimitOff();
    const emails = await createUsers(5, "fivexx");
    const [broken, ...healthy] = emails as [string, ...string[]];
    const brokenId = await h.findUserId(broken);
    const jobId = await approvedJob(emails, requester, approver);
    h.api.clearCache();
    // The next 6 user reads answer 503 (each item's read is retried twice by the client), and one
    // user's reads keep failing.
    const fault = (body: unknown) => h.control("POST", "/faults", body);
    expect((await fault({ method: "GET", path: `/api/v2/users/${encodeURIComponent(brokenId)}`, action: { type: "status", status: 503 } })).status).toBeLessThan(300);
    expect((await fault({ method: "GET", path: "/api/v2/users/", times: 6, action: { type: "status", status: 503 } })).status).toBeLessThan(300);
    try {
      await drain([runner("runner-5xx", { maxAttempts: 3, concurrency: 1 })], jobId);
    } finally {
      await h.control("DELETE", "/faults");
    }
    expect(await outboxCounts(emails)).toEqual({ ...ones(healthy), [broken]: 0 });
    const items = await h.database.prisma.bulkJobItem.findMany({
      where: { jobId },
      orderBy: { position: "asc" },
      select: { status: true, attempts: true, errorCode: true, errorMessage: true },
    });
    expect(items[0]).toEqual({ status: "FAILED", attempts: 3, errorCode: "upstream_unavailable", errorMessage: "error_status" });
    expect(items.slice(1).every((item) => item.status === "SUCCEEDED")).toBe(true);
    expect(items.slice(1).some((item) => item.attempts > 1)).toBe(true);
  });
});
