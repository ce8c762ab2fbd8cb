import { beforeAll, expect, it } from "vitest";
import { AuditOutcomeConflictError, appendAuditEvent, beginAuditedOperation } from "@/lib/audit/append";
import type { AuditActor } from "@/lib/audit/append";
import {
  InvalidAuditCursorError,
  exportAuditEvents,
  listAuditEvents,
  listUserPasswordEvents,
} from "@/lib/audit/query";
import type { AuditEventFilters, AuditEventRecord } from "@/lib/audit/query";
import { appendReconciliation, findUnresolvedPending } from "@/lib/audit/reconcile";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { describeEachDatabase } from "../db/targets";

const admin: AuditActor = { operatorId: "op_admin", email: "admin@passdesk.test", role: "ADMIN" };
const support: AuditActor = { operatorId: "op_support", email: "support@passdesk.test", role: "SUPPORT" };
const alice = {
  userId: "auth0|alice",
  email: "alice@example.com",
  connection: "Username-Password-Authentication",
};
const bob = { userId: "samlp|corp|bob@corp.example", email: "bob@corp.example", connection: "corp" };

async function collect(
  db: PrismaClient,
  filters: AuditEventFilters,
  limit: number,
): Promise<AuditEventRecord[]> {
  const all: AuditEventRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await listAuditEvents(db, filters, cursor, limit);
    all.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
}

describeEachDatabase("audit queries", (database) => {
  /** Sequences of the operations created in beforeAll, by name. */
  const seq: Record<string, string> = {};

  beforeAll(async () => {
    const { prisma } = database();
    // 100 sign-ins (filler for paging), then password operations with every kind of outcome.
    for (let index = 0; index < 100; index += 1) {
      await appendAuditEvent(prisma, {
        action: "operator.sign_in",
        outcome: "SUCCEEDED",
        actor: index % 2 ? admin : support,
      });
    }
    const succeeded = await beginAuditedOperation(prisma, {
      actor: support,
      action: "password.set",
      target: alice,
      reason: "phone call",
    });
    await succeeded.succeed({ httpStatus: 200 });
    seq.succeeded = succeeded.sequence.toString();
    const failed = await beginAuditedOperation(prisma, {
      actor: admin,
      action: "password.ticket",
      target: alice,
      reason: "locked out",
      details: { ttlSec: 300 },
    });
    await failed.fail({ httpStatus: 429, errorCode: "rate_limited" });
    seq.failed = failed.sequence.toString();
    const unresolved = await beginAuditedOperation(prisma, {
      actor: support,
      action: "password.reset_email",
      target: bob,
      reason: "forgot",
    });
    seq.unresolved = unresolved.sequence.toString();
    const emailOnly = await beginAuditedOperation(prisma, {
      actor: admin,
      action: "password.set",
      target: bob,
      reason: "ticket #5",
    });
    await emailOnly.succeed();
    seq.bobSet = emailOnly.sequence.toString();
  });

  it("pages newest first with a keyset cursor, without gaps or repeats", async () => {
    const { prisma } = database();
    const first = await listAuditEvents(prisma, {}, null, 50);
    expect(first.events).toHaveLength(50);
    expect(first.nextCursor).toBe(first.events.at(-1)?.sequence);
    const all = await collect(prisma, {}, 50);
    expect(all).toHaveLength(107);
    const sequences = all.map((event) => Number(event.sequence));
    expect(sequences).toEqual([...sequences].sort((left, right) => right - left));
    expect(new Set(sequences).size).toBe(107);
    expect(sequences.at(-1)).toBe(1);
  });

  it("rejects a malformed cursor", async () => {
    await expect(listAuditEvents(database().prisma, {}, "1; DROP TABLE x", 10)).rejects.toBeInstanceOf(
      InvalidAuditCursorError,
    );
  });

  it("filters by actor id or email, and restricts support operators to their own events", async () => {
    const { prisma } = database();
    const byId = await collect(prisma, { actor: "op_support" }, 500);
    const byEmail = await collect(prisma, { actor: "SUPPORT@passdesk.test" }, 500);
    expect(byId.map((event) => event.sequence)).toEqual(byEmail.map((event) => event.sequence));
    expect(byId.every((event) => event.actorOperatorId === "op_support")).toBe(true);
    expect(byId).toHaveLength(50 + 2 + 1);
    const own = await collect(prisma, { onlyActorOperatorId: "op_support", actor: "op_admin" }, 500);
    expect(own).toEqual([]);
  });

  it("filters by target id or email (ids may contain an @)", async () => {
    const { prisma } = database();
    const byId = await collect(prisma, { target: "samlp|corp|bob@corp.example" }, 500);
    const byEmail = await collect(prisma, { target: "Bob@Corp.example" }, 500);
    expect(byId.map((event) => event.sequence)).toEqual(byEmail.map((event) => event.sequence));
    expect(byId).toHaveLength(3); // unresolved pending + set pending + its outcome
  });

  it("filters by action, outcome and time range", async () => {
    const { prisma } = database();
    const tickets = await collect(prisma, { action: "password.ticket" }, 500);
    expect(tickets.map((event) => event.outcome)).toEqual(["FAILED", "PENDING"]);
    const several = await collect(prisma, { action: ["password.ticket", "password.reset_email"] }, 500);
    expect(several).toHaveLength(3);
    const failedEvents = await collect(prisma, { outcome: "FAILED" }, 500);
    expect(failedEvents.map((event) => event.relatedSequence)).toEqual([seq.failed]);
    const future = await collect(prisma, { from: new Date(Date.now() + 60_000) }, 500);
    expect(future).toEqual([]);
    const past = await collect(prisma, { to: new Date(Date.now() - 60 * 60_000) }, 500);
    expect(past).toEqual([]);
    const now = await collect(
      prisma,
      { from: new Date(Date.now() - 60 * 60_000), to: new Date(Date.now() + 60_000) },
      500,
    );
    expect(now).toHaveLength(107);
  });

  it("operations view pairs each pending event with its outcome; none means unknown", async () => {
    const { prisma } = database();
    const operations = await collect(
      prisma,
      { view: "operations", action: ["password.set", "password.ticket", "password.reset_email"] },
      500,
    );
    expect(operations.map((event) => [event.sequence, event.effectiveOutcome])).toEqual([
      [seq.bobSet, "SUCCEEDED"],
      [seq.unresolved, "UNKNOWN"],
      [seq.failed, "FAILED"],
      [seq.succeeded, "SUCCEEDED"],
    ]);
    const failed = operations.find((event) => event.sequence === seq.failed);
    expect(failed?.resolution).toMatchObject({
      outcome: "FAILED",
      details: { httpStatus: 429, errorCode: "rate_limited" },
    });
    expect(failed?.details).toEqual({ ttlSec: 300 });
    expect(operations.find((event) => event.sequence === seq.unresolved)?.resolution).toBeNull();

    const onlyFailed = await collect(prisma, { view: "operations", outcome: "FAILED" }, 500);
    expect(onlyFailed.map((event) => event.sequence)).toEqual([seq.failed]);
    const onlyUnknown = await collect(prisma, { view: "operations", outcome: "UNKNOWN" }, 500);
    expect(onlyUnknown.map((event) => event.sequence)).toEqual([seq.unresolved]);
    const onlySucceeded = await collect(
      prisma,
      { view: "operations", outcome: "SUCCEEDED", action: "password.set" },
      500,
    );
    expect(onlySucceeded.map((event) => event.sequence)).toEqual([seq.bobSet, seq.succeeded]);
  });

  it("lists one user's password operations with who, why and outcome", async () => {
    const page = await listUserPasswordEvents(database().prisma, "auth0|alice");
    expect(
      page.events.map((event) => [event.action, event.actorEmail, event.reason, event.effectiveOutcome]),
    ).toEqual([
      ["password.ticket", "admin@passdesk.test", "locked out", "FAILED"],
      ["password.set", "support@passdesk.test", "phone call", "SUCCEEDED"],
    ]);
    expect(page.nextCursor).toBeNull();
    // The profile's history for a support operator: only their own operations on that user.
    const own = await listUserPasswordEvents(database().prisma, "auth0|alice", { onlyActorOperatorId: "op_support" });
    expect(own.events.map((event) => [event.action, event.reason])).toEqual([["password.set", "phone call"]]);
    const paged = await listUserPasswordEvents(database().prisma, "auth0|alice", { limit: 1 });
    expect(paged.events.map((event) => event.reason)).toEqual(["locked out"]);
    const rest = await listUserPasswordEvents(database().prisma, "auth0|alice", { cursor: paged.nextCursor, limit: 1 });
    expect(rest.events.map((event) => event.reason)).toEqual(["phone call"]);
  });

  it("keeps events without a target user only for their own actor, or drops them (scoped readers)", async () => {
    const { prisma } = database();
    const filters = { view: "operations" as const };
    const mine = await collect(prisma, { ...filters, untargeted: { actorOperatorId: "op_support" } }, 500);
    const untargeted = mine.filter((event) => event.targetUserId === null);
    expect(untargeted).toHaveLength(50);
    expect(untargeted.every((event) => event.actorOperatorId === "op_support")).toBe(true);
    expect(mine.filter((event) => event.targetUserId !== null).map((event) => event.sequence)).toEqual([
      seq.bobSet,
      seq.unresolved,
      seq.failed,
      seq.succeeded,
    ]);
    const none = await collect(prisma, { ...filters, untargeted: "none" }, 500);
    expect(none.map((event) => event.sequence)).toEqual([seq.bobSet, seq.unresolved, seq.failed, seq.succeeded]);
  });

  it("exports every matching event as a stream", async () => {
    const { prisma } = database();
    const exported: AuditEventRecord[] = [];
    for await (const event of exportAuditEvents(prisma, { actor: "op_admin" }, { batchSize: 7 }))
      exported.push(event);
    expect(exported).toHaveLength(50 + 2 + 2);
    expect(exported.every((event) => event.actorOperatorId === "op_admin")).toBe(true);
  });

  it("reconciles a pending event once, and the chain stays valid", async () => {
    const { prisma } = database();
    expect(await findUnresolvedPending(prisma, 60_000)).toEqual([]); // too recent
    const candidates = await findUnresolvedPending(prisma, 0);
    expect(candidates.map((event) => [event.sequence, event.action, event.targetUserId])).toEqual([
      [seq.unresolved, "password.reset_email", "samlp|corp|bob@corp.example"],
    ]);
    await appendReconciliation(prisma, seq.unresolved!, "SUCCEEDED", {
      reconciledFrom: "last_password_reset",
      lastPasswordReset: "2025-01-01T10:00:00.000Z",
    });
    await expect(
      appendReconciliation(prisma, seq.unresolved!, "FAILED", { reconciledFrom: "manual" }),
    ).rejects.toBeInstanceOf(AuditOutcomeConflictError);
    await expect(
      appendReconciliation(prisma, seq.succeeded!, "FAILED", { reconciledFrom: "manual" }),
    ).rejects.toBeInstanceOf(AuditOutcomeConflictError);
    expect(await findUnresolvedPending(prisma, 0)).toEqual([]);
    const [reconciled] = (
      await listAuditEvents(prisma, { view: "operations", action: "password.reset_email" })
    ).events;
    expect(reconciled?.effectiveOutcome).toBe("SUCCEEDED");
    expect(reconciled?.resolution?.details).toEqual({
      reconciledFrom: "last_password_reset",
      lastPasswordReset: "2025-01-01T10:00:00.000Z",
    });
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });
});
