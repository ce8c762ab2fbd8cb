// First: stubs the framework edges before any app module loads (see the helper).
import { edges } from "../support/app-edges";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { resetOperatorRateLimits } from "@/lib/http/operator-rate-limit";
import { type Harness, insertOperator, startHarness } from "../passwords/harness";

/**
 * The bulk server actions as a browser (or a script) posts them: the permission table, zod, the
 * four-eyes rule and the CSV checks are real; only the framework edges are stubbed.
 */
vi.hoisted(() => {
  process.env.LOG_LEVEL = "silent";
});
edges.requestId = "req-bulk-actions";

const { controlBulkJobAction, createBulkJobAction, decideBulkJobAction, previewBulkJobAction } = await import("@/lib/actions/bulk");

let h: Harness;
let requester: OperatorIdentity;
let approver: OperatorIdentity;
let email: string;

const csv = (text: string) => ({ kind: "csv", fileName: "users.csv", contentBase64: Buffer.from(text, "utf8").toString("base64") });

beforeAll(async () => {
  h = await startHarness();
  edges.dangerZoneDeps = h.deps;
  edges.prisma = h.database.prisma;
  const admin = (name: string) => insertOperator(h.database.prisma, { email: `${name}@passdesk.test`, name, role: "ADMIN" });
  requester = await admin("requester");
  approver = await admin("approver");
  email = `actions-${Date.now().toString(36)}@bulk.passdesk.test`;
  await h.createUser(email, "Start-Password-1!");
});

afterAll(async () => {
  await h?.close();
});

describe("bulk actions", () => {
  it("support may not preview, request or decide bulk jobs, even when posting directly", async () => {
    resetOperatorRateLimits();
    edges.operator = h.operator;
    const source = csv(`email\n${email}\n`);
    expect(await previewBulkJobAction({ source })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await createBulkJobAction({ source, operation: "password.reset_email", reason: "INC-1 support" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await decideBulkJobAction({ jobId: "abc", decision: "approve", reason: "support says ok" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await h.database.prisma.bulkJob.count()).toBe(0);
  });

  it("a bad CSV gets a clear message and nothing is queued", async () => {
    resetOperatorRateLimits();
    edges.operator = requester;
    const bad = await createBulkJobAction({ source: csv(`email\n${email}\n=cmd|' /C calc'!A0\n`), operation: "password.reset_email", reason: "INC-2 formula" });
    expect(bad).toMatchObject({ ok: false, code: "invalid", error: "bulk.errors.formula" });
    expect(await h.database.prisma.bulkJob.count()).toBe(0);
  });

  it("the requester's own approval is refused when posted directly; another admin's is accepted", async () => {
    resetOperatorRateLimits();
    edges.operator = requester;
    const created = await createBulkJobAction({ source: csv(`email\n${email}\nnobody@bulk.passdesk.test\n`), operation: "password.reset_email", reason: "INC-3 wave" });
    expect(created).toMatchObject({ ok: true, data: { matched: 1 } });
    if (!created.ok) return;
    const jobId = (created.data as { jobId: string }).jobId;
    expect(await decideBulkJobAction({ jobId, decision: "approve", reason: "my own request" })).toMatchObject({
      ok: false,
      code: "forbidden",
      error: "bulk.errors.ownRequest",
    });
    expect((await h.database.prisma.bulkJob.findUnique({ where: { id: jobId } }))?.status).toBe("AWAITING_APPROVAL");
    edges.operator = approver;
    expect(await decideBulkJobAction({ jobId, decision: "approve", reason: "checked the list" })).toEqual({ ok: true, data: { status: "QUEUED" } });
    expect(await controlBulkJobAction({ jobId, command: "cancel" })).toEqual({ ok: true, data: { status: "CANCELLED" } });
    const items = await h.database.prisma.bulkJobItem.findMany({ where: { jobId }, orderBy: { position: "asc" }, select: { status: true, errorCode: true } });
    expect(items).toEqual([
      { status: "CANCELLED", errorCode: null },
      { status: "SKIPPED", errorCode: "unknown" },
    ]);
    const events = await h.database.prisma.auditEvent.findMany({
      where: { details: { path: ["bulkJobId"], equals: jobId } },
      orderBy: { sequence: "asc" },
      select: { action: true, actorOperatorId: true },
    });
    expect(events).toEqual([
      { action: "bulk.created", actorOperatorId: requester.id },
      { action: "bulk.approved", actorOperatorId: approver.id },
      { action: "bulk.cancelled", actorOperatorId: approver.id },
    ]);
  });
});
