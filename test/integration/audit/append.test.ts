import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it, vi } from "vitest";
import { createPGlitePrisma, createPostgresPrisma } from "@/lib/db/adapter";
import { AuditOutcomeConflictError, appendAuditEvent, beginAuditedOperation } from "@/lib/audit/append";
import type { AuditActor } from "@/lib/audit/append";
import { UnsafeAuditValueError } from "@/lib/audit/details";
import { verifyAuditChain } from "@/lib/audit/verify";
import { describeEachDatabase } from "../db/targets";

const support: AuditActor = { operatorId: "op_support", email: "Support@Passdesk.test", role: "SUPPORT" };
const target = {
  userId: "auth0|user-1",
  email: "User@Example.com",
  connection: "Username-Password-Authentication",
};

describeEachDatabase("audit append", (database) => {
  it("50 concurrent appends give a gap-free, valid chain", async () => {
    const { prisma } = database();
    const appended = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        appendAuditEvent(prisma, {
          action: "operator.sign_in",
          outcome: "SUCCEEDED",
          actor: support,
          details: { durationMs: index },
        }),
      ),
    );
    const sequences = appended.map((event) => event.sequence).sort((left, right) => (left < right ? -1 : 1));
    expect(sequences).toEqual(Array.from({ length: 50 }, (_, index) => BigInt(index + 1)));
    const verdict = await verifyAuditChain(prisma, { batchSize: 7 });
    expect(verdict).toMatchObject({ ok: true, count: 50, headSequence: 50n });
    const head = await prisma.auditChainHead.findUniqueOrThrow({
      where: { id: 1 },
      select: { sequence: true, hash: true },
    });
    const last = await prisma.auditEvent.findUniqueOrThrow({
      where: { sequence: 50n },
      select: { hash: true },
    });
    expect(head).toEqual({ sequence: 50n, hash: last.hash });
  });

  it("appends arriving together are committed together, and one bad event fails alone", async () => {
    const { prisma } = database();
    const before = await prisma.auditEvent.count();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) =>
        appendAuditEvent(prisma, {
          action: "operator.sign_in",
          outcome: "SUCCEEDED",
          actor: support,
          // PostgreSQL refuses NUL in text: this one insert fails inside the shared batch.
          reason: index === 5 ? "bad\u0000reason" : `ok ${index}`,
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(
      Array.from({ length: 12 }, (_, index) => (index === 5 ? "rejected" : "fulfilled")),
    );
    expect(await prisma.auditEvent.count()).toBe(before + 11);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
    // Cleanup is impossible (append-only); later tests count from here.
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE on audit events", async () => {
    const { prisma, sql } = database();
    await expect(
      sql.query(`UPDATE "AuditEvent" SET "reason" = 'changed' WHERE "sequence" = 1`),
    ).rejects.toThrow(/AuditEvent is append-only: UPDATE is not allowed/);
    await expect(sql.query(`DELETE FROM "AuditEvent" WHERE "sequence" = 1`)).rejects.toThrow(
      /AuditEvent is append-only: DELETE is not allowed/,
    );
    await expect(sql.exec(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(
      prisma.auditEvent.update({
        where: { sequence: 2n },
        data: { reason: "x" },
        select: { sequence: true },
      }),
    ).rejects.toThrow(/append-only/);
    await expect(prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await prisma.auditEvent.count()).toBe(61);
  });

  it("records a pending event and a linked outcome; a second outcome is refused, even concurrently", async () => {
    const { prisma } = database();
    const operation = await beginAuditedOperation(prisma, {
      actor: support,
      action: "password.set",
      target,
      reason: "Caller verified identity by phone",
      request: { requestId: "req-42", ip: "203.0.113.7", userAgent: "Vitest" },
      details: { idempotencyKey: "idem-1", generated: true },
      mustNotContain: ["N3w-Passw0rd!"],
    });
    const outcome = await operation.succeed({ httpStatus: 200, durationMs: 120 });
    expect(outcome.sequence).toBe(operation.sequence + 1n);
    await expect(operation.fail({ httpStatus: 500 })).rejects.toBeInstanceOf(AuditOutcomeConflictError);

    // Two processes racing to resolve one pending event (same batch): exactly one wins.
    const raced = await beginAuditedOperation(prisma, {
      actor: support,
      action: "password.set",
      target,
      reason: "r",
    });
    const race = await Promise.allSettled([
      appendAuditEvent(prisma, {
        action: "password.set",
        outcome: "SUCCEEDED",
        relatedSequence: raced.sequence,
      }),
      appendAuditEvent(prisma, {
        action: "password.set",
        outcome: "FAILED",
        relatedSequence: raced.sequence,
      }),
    ]);
    expect(race.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(race.find((result) => result.status === "rejected")).toMatchObject({
      reason: expect.any(AuditOutcomeConflictError),
    });

    const rows = await prisma.auditEvent.findMany({
      where: { sequence: { in: [operation.sequence, outcome.sequence] } },
      orderBy: { sequence: "asc" },
      select: {
        outcome: true,
        relatedSequence: true,
        actorEmail: true,
        targetEmail: true,
        targetUserId: true,
        reason: true,
        requestId: true,
        details: true,
      },
    });
    expect(rows).toEqual([
      {
        outcome: "PENDING",
        relatedSequence: null,
        actorEmail: "support@passdesk.test",
        targetEmail: "user@example.com",
        targetUserId: "auth0|user-1",
        reason: "Caller verified identity by phone",
        requestId: "req-42",
        details: { idempotencyKey: "idem-1", generated: true },
      },
      {
        outcome: "SUCCEEDED",
        relatedSequence: operation.sequence,
        actorEmail: "support@passdesk.test",
        targetEmail: "user@example.com",
        targetUserId: "auth0|user-1",
        reason: null,
        requestId: "req-42",
        details: { httpStatus: 200, durationMs: 120 },
      },
    ]);
  });

  it("a failure outcome keeps Auth0's error but redacts anything secret-looking", async () => {
    const { prisma } = database();
    const operation = await beginAuditedOperation(prisma, {
      actor: support,
      action: "password.set",
      target,
      reason: "r",
    });
    await operation.fail({
      httpStatus: 400,
      auth0ErrorCode: "PasswordStrengthError",
      auth0Message: "password=leaked",
    });
    const row = await prisma.auditEvent.findFirstOrThrow({
      where: { relatedSequence: operation.sequence },
      select: { outcome: true, details: true },
    });
    expect(row).toEqual({
      outcome: "FAILED",
      details: { httpStatus: 400, auth0ErrorCode: "PasswordStrengthError", auth0Message: "[redacted]" },
    });
  });

  it("refuses to write secrets and writes nothing when it refuses", async () => {
    const { prisma } = database();
    const before = await prisma.auditEvent.count();
    await expect(
      beginAuditedOperation(prisma, {
        actor: support,
        action: "password.set",
        target,
        reason: "new one is N3w-Passw0rd! as requested",
        mustNotContain: ["N3w-Passw0rd!"],
      }),
    ).rejects.toBeInstanceOf(UnsafeAuditValueError);
    await expect(
      appendAuditEvent(prisma, {
        action: "password.ticket",
        outcome: "SUCCEEDED",
        actor: support,
        details: { auth0Message: "https://tenant.example/lo/reset?ticket=abc#" },
      }),
    ).rejects.toBeInstanceOf(UnsafeAuditValueError);
    expect(await prisma.auditEvent.count()).toBe(before);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });

  it("two app instances appending one at a time, interleaved, keep one gap-free valid chain", async () => {
    const { prisma, createClient } = database();
    const other = createClient();
    try {
      const before = (
        await prisma.auditChainHead.findUniqueOrThrow({ where: { id: 1 }, select: { sequence: true } })
      ).sequence;
      // Each instance appends one at a time (its head hint is stale after every turn of the other).
      const run = (client: typeof prisma, label: string) => async () => {
        for (let index = 0; index < 15; index++) {
          await appendAuditEvent(client, {
            action: "operator.sign_in",
            outcome: "SUCCEEDED",
            actor: support,
            reason: `${label} ${index}`,
          });
        }
      };
      await Promise.all([run(prisma, "first")(), run(other, "second")()]);
      // And again in strict alternation: every append finds the head moved by the other one.
      for (let index = 0; index < 5; index++) {
        await appendAuditEvent(prisma, {
          action: "operator.sign_in",
          outcome: "SUCCEEDED",
          actor: support,
          reason: `a ${index}`,
        });
        await appendAuditEvent(other, {
          action: "operator.sign_in",
          outcome: "SUCCEEDED",
          actor: support,
          reason: `b ${index}`,
        });
      }
      const verdict = await verifyAuditChain(prisma);
      expect(verdict).toMatchObject({ ok: true, headSequence: before + 40n });
      const reasons = await prisma.auditEvent.findMany({
        where: { sequence: { gt: before } },
        orderBy: { sequence: "asc" },
        select: { sequence: true },
      });
      expect(reasons.map((row) => row.sequence)).toEqual(
        Array.from({ length: 40 }, (_, index) => before + BigInt(index + 1)),
      );
    } finally {
      await other.$disconnect();
    }
  });

  it("an outcome for a pending event resolved by another instance is refused, and the chain stays valid", async () => {
    const { prisma, createClient } = database();
    const other = createClient();
    try {
      const pending = await appendAuditEvent(prisma, {
        action: "password.set",
        outcome: "PENDING",
        actor: support,
        target,
        reason: "x",
      });
      // Both instances know the current head; the other one records the outcome first.
      await appendAuditEvent(other, { action: "operator.sign_in", outcome: "SUCCEEDED", actor: support });
      await appendAuditEvent(other, {
        action: "password.set",
        outcome: "SUCCEEDED",
        actor: support,
        target,
        relatedSequence: pending.sequence,
      });
      await expect(
        appendAuditEvent(prisma, {
          action: "password.set",
          outcome: "FAILED",
          actor: support,
          target,
          relatedSequence: pending.sequence,
        }),
      ).rejects.toThrow(AuditOutcomeConflictError);
      // The other instance's head is still current: its outcome check, not the head, refuses this one.
      await expect(
        appendAuditEvent(other, {
          action: "password.set",
          outcome: "FAILED",
          actor: support,
          target,
          relatedSequence: pending.sequence,
        }),
      ).rejects.toThrow(/already has outcome event/);
      expect(await prisma.auditEvent.count({ where: { relatedSequence: pending.sequence } })).toBe(1);
      expect((await verifyAuditChain(prisma)).ok).toBe(true);
    } finally {
      await other.$disconnect();
    }
  });
});

describe("fail-closed: the database is unavailable", () => {
  it("beginAuditedOperation throws, so nothing is sent to the tenant (PGlite closed)", async () => {
    const pglite = new PGlite();
    const prisma = createPGlitePrisma(pglite);
    await pglite.close();
    const sendToAuth0 = vi.fn();
    const operation = async () => {
      const audit = await beginAuditedOperation(prisma, {
        actor: support,
        action: "password.set",
        target,
        reason: "r",
      });
      sendToAuth0();
      await audit.succeed();
    };
    await expect(operation()).rejects.toThrow();
    expect(sendToAuth0).not.toHaveBeenCalled();
  });

  it("beginAuditedOperation throws when the PostgreSQL server cannot be reached", async () => {
    // Port 9 (discard) on localhost: nothing listens, the connection is refused at once.
    const prisma = createPostgresPrisma(
      "postgresql://passdesk:passdesk@127.0.0.1:9/passdesk?connect_timeout=2",
    );
    const sendToAuth0 = vi.fn();
    const operation = async () => {
      await beginAuditedOperation(prisma, {
        actor: support,
        action: "password.reset_email",
        target,
        reason: "r",
      });
      sendToAuth0();
    };
    await expect(operation()).rejects.toThrow();
    expect(sendToAuth0).not.toHaveBeenCalled();
    await prisma.$disconnect();
  });
});
