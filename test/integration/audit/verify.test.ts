import { beforeEach, expect, it } from "vitest";
import { appendAuditEvent } from "@/lib/audit/append";
import { GENESIS_HASH, hashAuditEvent } from "@/lib/audit/hash";
import type { HashableAuditEvent } from "@/lib/audit/hash";
import type { CanonicalInput } from "@/lib/audit/canonical";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { TestDatabase } from "@/lib/db/test-database";
import { describeEachDatabase } from "../db/targets";

/**
 * Tampering needs the append-only trigger out of the way, exactly as an attacker with owner
 * rights would do: ALTER TABLE … DISABLE TRIGGER USER.
 */
async function tamper(database: TestDatabase, script: string): Promise<void> {
  await database.sql.exec(
    `ALTER TABLE "AuditEvent" DISABLE TRIGGER USER; ${script}; ALTER TABLE "AuditEvent" ENABLE TRIGGER USER;`,
  );
}

async function resetChain(database: TestDatabase, events: number): Promise<void> {
  await tamper(
    database,
    `DELETE FROM "AuditEvent"; UPDATE "AuditChainHead" SET "sequence" = 0, "hash" = '${GENESIS_HASH}'`,
  );
  for (let index = 1; index <= events; index += 1) {
    await appendAuditEvent(database.prisma, {
      action: index % 2 ? "password.set" : "operator.sign_in",
      outcome: "SUCCEEDED",
      actor: { operatorId: "op1", email: "admin@passdesk.test", role: "ADMIN" },
      target: { userId: `auth0|${index}`, email: `user${index}@example.com` },
      reason: `reason ${index}`,
      details: { durationMs: index },
    });
  }
}

async function loadHashable(database: TestDatabase, sequence: number): Promise<HashableAuditEvent> {
  const row = await database.prisma.auditEvent.findUniqueOrThrow({ where: { sequence: BigInt(sequence) } });
  const { hash: _hash, details, ...rest } = row;
  return { ...rest, details: details as CanonicalInput };
}

/** Swaps two rows' positions (sequence numbers) via a free temporary number. */
function swapSql(first: number, second: number): string {
  return `UPDATE "AuditEvent" SET "sequence" = -1 WHERE "sequence" = ${first};
    UPDATE "AuditEvent" SET "sequence" = ${first} WHERE "sequence" = ${second};
    UPDATE "AuditEvent" SET "sequence" = ${second} WHERE "sequence" = -1`;
}

describeEachDatabase("audit chain verification", (database) => {
  beforeEach(async () => {
    await resetChain(database(), 10);
  });

  it("an untouched chain is intact (any batch size)", async () => {
    for (const batchSize of [1, 3, 10, 1000]) {
      expect(await verifyAuditChain(database().prisma, { batchSize })).toMatchObject({
        ok: true,
        count: 10,
        headSequence: 10n,
      });
    }
  });

  it("an empty chain is intact", async () => {
    await resetChain(database(), 0);
    expect(await verifyAuditChain(database().prisma)).toEqual({
      ok: true,
      count: 0,
      headSequence: 0n,
      headHash: GENESIS_HASH,
    });
  });

  it("catches an edited field", async () => {
    await tamper(database(), `UPDATE "AuditEvent" SET "reason" = 'nothing to see' WHERE "sequence" = 5`);
    expect(await verifyAuditChain(database().prisma, { batchSize: 3 })).toMatchObject({
      ok: false,
      firstBadSequence: 5n,
      reason: "edited",
      count: 4,
    });
  });

  it("catches an edit whose hash was recomputed (the next link breaks)", async () => {
    const event = await loadHashable(database(), 5);
    const forged = { ...event, reason: "rewritten" };
    await tamper(
      database(),
      `UPDATE "AuditEvent" SET "reason" = 'rewritten', "hash" = '${hashAuditEvent(forged)}' WHERE "sequence" = 5`,
    );
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 5n,
      reason: "edited",
    });
  });

  it("catches an edited last event even when its hash was recomputed (head mismatch)", async () => {
    const event = await loadHashable(database(), 10);
    const forged = { ...event, reason: "rewritten" };
    await tamper(
      database(),
      `UPDATE "AuditEvent" SET "reason" = 'rewritten', "hash" = '${hashAuditEvent(forged)}' WHERE "sequence" = 10`,
    );
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 10n,
      reason: "edited",
    });
  });

  it("catches a deleted event", async () => {
    await tamper(database(), `DELETE FROM "AuditEvent" WHERE "sequence" = 4`);
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 4n,
      reason: "deleted",
      count: 3,
    });
  });

  it("catches deleted events at the end of the chain", async () => {
    await tamper(database(), `DELETE FROM "AuditEvent" WHERE "sequence" >= 9`);
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 9n,
      reason: "deleted",
    });
  });

  it("catches a deletion hidden by renumbering the later events", async () => {
    await tamper(
      database(),
      `DELETE FROM "AuditEvent" WHERE "sequence" = 4;
       UPDATE "AuditEvent" SET "sequence" = -"sequence" WHERE "sequence" > 4;
       UPDATE "AuditEvent" SET "sequence" = -"sequence" - 1 WHERE "sequence" < 0;
       UPDATE "AuditChainHead" SET "sequence" = 9`,
    );
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 4n,
      reason: "deleted",
    });
  });

  it("catches an event inserted in the middle with a correctly computed hash", async () => {
    const previous = await database().prisma.auditEvent.findUniqueOrThrow({
      where: { sequence: 6n },
      select: { hash: true },
    });
    const template = await loadHashable(database(), 6);
    const forged: HashableAuditEvent = {
      ...template,
      sequence: 7n,
      reason: "forged",
      prevHash: previous.hash,
    };
    const hash = hashAuditEvent(forged);
    await tamper(
      database(),
      `UPDATE "AuditEvent" SET "sequence" = -"sequence" WHERE "sequence" >= 7;
       UPDATE "AuditEvent" SET "sequence" = -"sequence" + 1 WHERE "sequence" < 0;
       INSERT INTO "AuditEvent" ("sequence", "time", "actorOperatorId", "actorEmail", "actorRole", "action", "outcome",
         "targetUserId", "targetEmail", "reason", "details", "prevHash", "hash")
       SELECT 7, "time", "actorOperatorId", "actorEmail", "actorRole", "action", "outcome",
         "targetUserId", "targetEmail", 'forged', "details", '${previous.hash}', '${hash}'
       FROM "AuditEvent" WHERE "sequence" = 6;
       UPDATE "AuditChainHead" SET "sequence" = 11`,
    );
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 7n,
      reason: "inserted",
      count: 6,
    });
  });

  it("catches an event inserted in the middle with a made-up hash", async () => {
    await tamper(
      database(),
      `UPDATE "AuditEvent" SET "sequence" = -"sequence" WHERE "sequence" >= 3;
       UPDATE "AuditEvent" SET "sequence" = -"sequence" + 1 WHERE "sequence" < 0;
       INSERT INTO "AuditEvent" ("sequence", "time", "action", "outcome", "details", "prevHash", "hash")
       VALUES (3, now(), 'password.set', 'SUCCEEDED', '{}', '${"a".repeat(64)}', '${"b".repeat(64)}');
       UPDATE "AuditChainHead" SET "sequence" = 11`,
    );
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 3n,
      reason: "inserted",
    });
  });

  it("catches an event appended behind the chain head's back", async () => {
    const last = await database().prisma.auditEvent.findUniqueOrThrow({
      where: { sequence: 10n },
      select: { hash: true },
    });
    const template = await loadHashable(database(), 10);
    const forged = { ...template, sequence: 11n, prevHash: last.hash, reason: "late" };
    await tamper(
      database(),
      `INSERT INTO "AuditEvent" ("sequence", "time", "actorOperatorId", "actorEmail", "actorRole", "action", "outcome",
         "targetUserId", "targetEmail", "reason", "details", "prevHash", "hash")
       SELECT 11, "time", "actorOperatorId", "actorEmail", "actorRole", "action", "outcome",
         "targetUserId", "targetEmail", 'late', "details", '${last.hash}', '${hashAuditEvent(forged)}'
       FROM "AuditEvent" WHERE "sequence" = 10`,
    );
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 11n,
      reason: "inserted",
    });
  });

  it("catches two events swapped (reordered)", async () => {
    await tamper(database(), swapSql(4, 5));
    expect(await verifyAuditChain(database().prisma)).toMatchObject({
      ok: false,
      firstBadSequence: 4n,
      reason: "reordered",
    });
  });

  it("catches events moved further apart (reordered)", async () => {
    await tamper(database(), swapSql(2, 8));
    const verdict = await verifyAuditChain(database().prisma);
    expect(verdict).toMatchObject({ ok: false, firstBadSequence: 2n, reason: "reordered" });
    if (!verdict.ok) expect(verdict.message).toContain("event 8");
  });

  it("verifies incrementally from a previously verified head", async () => {
    const { prisma } = database();
    const full = await verifyAuditChain(prisma);
    if (!full.ok) throw new Error("expected an intact chain");
    await appendAuditEvent(prisma, { action: "operator.sign_in", outcome: "SUCCEEDED" });
    const since = { sequence: full.headSequence, hash: full.headHash };
    expect(await verifyAuditChain(prisma, { since })).toMatchObject({
      ok: true,
      count: 1,
      headSequence: 11n,
    });
    await tamper(database(), `UPDATE "AuditEvent" SET "reason" = 'changed' WHERE "sequence" = 11`);
    expect(await verifyAuditChain(prisma, { since })).toMatchObject({
      ok: false,
      firstBadSequence: 11n,
      reason: "edited",
    });
    await tamper(database(), `UPDATE "AuditEvent" SET "hash" = '${"e".repeat(64)}' WHERE "sequence" = 10`);
    expect(await verifyAuditChain(prisma, { since })).toMatchObject({
      ok: false,
      firstBadSequence: 10n,
      reason: "edited",
    });
  });
});
