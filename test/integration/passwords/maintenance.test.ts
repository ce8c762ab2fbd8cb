import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { beginAuditedOperation } from "@/lib/audit/append";
import { setUserPassword } from "@/lib/auth0/password-operations";
import { runDangerZoneMaintenance } from "@/lib/danger-zone/maintenance";
import { createPGlitePrisma, createPostgresPrisma } from "@/lib/db/adapter";
import { applyMigrations } from "@/lib/db/migrate";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { describeEachDatabase } from "../db/targets";
import { DATABASE_CONNECTION, emailsAt, M2M, setUpHarness } from "./harness";

/**
 * Issue 12, point 2 and issue 11, point 10: "outcome unknown" password changes are settled by
 * a job (and `npm run audit:reconcile`), not by opening a profile; old idempotency keys go.
 */

const run = promisify(execFile);
const h = setUpHarness();
const uniqueEmail = emailsAt("maintenance.passdesk.test");

/** A process that died between the PATCH and the outcome event: a pending event, the change made. */
async function pendingSetThatHappened(db: PrismaClient, password: string) {
  const email = uniqueEmail("reconcile");
  const userId = await h.createUser(email, "Start-Password-1!");
  const audited = await beginAuditedOperation(db, {
    actor: { operatorId: h.operator.id, email: h.operator.email, role: h.operator.role },
    action: "password.set",
    target: { userId, email, connection: DATABASE_CONNECTION },
    reason: "INC-4001 process died",
    request: h.meta,
  });
  await setUserPassword(userId, password, DATABASE_CONNECTION, h.api);
  return { userId, pendingSequence: audited.sequence };
}

async function outcomesOf(db: PrismaClient, pendingSequence: bigint) {
  return db.auditEvent.findMany({
    where: { relatedSequence: pendingSequence },
    select: { outcome: true, details: true },
  });
}

describe("maintenance job", () => {
  it("settles a pending password.set from the tenant's last_password_reset", async () => {
    const db = h.database.prisma;
    const { pendingSequence } = await pendingSetThatHappened(db, "Reconciled-Pass-6!");
    const report = await runDangerZoneMaintenance({ db, api: h.api }, { olderThanMs: 0 });
    expect(report).toEqual({ reconciled: 1, prunedIdempotencyKeys: 0, expiredApprovals: 0 });
    const outcomes = await outcomesOf(db, pendingSequence);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ outcome: "SUCCEEDED", details: { reconciledFrom: "last_password_reset" } });
  });

  it("records one outcome when several instances run it at the same time", async () => {
    const db = h.database.prisma;
    const { pendingSequence } = await pendingSetThatHappened(db, "Concurrent-Pass-7!");
    const reports = await Promise.all([
      runDangerZoneMaintenance({ db, api: h.api }, { olderThanMs: 0 }),
      runDangerZoneMaintenance({ db, api: h.api }, { olderThanMs: 0 }),
      runDangerZoneMaintenance({ db, api: h.api }, { olderThanMs: 0 }),
    ]);
    expect(reports.map((report) => report.reconciled).reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await outcomesOf(db, pendingSequence)).toHaveLength(1);
  });

  it("prunes idempotency keys older than a day and keeps recent ones", async () => {
    const db = h.database.prisma;
    const old = new Date(Date.now() - 25 * 60 * 60_000);
    await db.idempotencyKey.createMany({
      data: [
        { key: "11111111-1111-4111-8111-111111111111", operatorId: h.operator.id, action: "password.set", inputHash: "a", createdAt: old },
        { key: "22222222-2222-4222-8222-222222222222", operatorId: h.operator.id, action: "password.set", inputHash: "b" },
      ],
    });
    const report = await runDangerZoneMaintenance({ db, api: h.api }, { olderThanMs: 0 });
    expect(report.prunedIdempotencyKeys).toBe(1);
    const left = await db.idempotencyKey.findMany({ select: { key: true } });
    expect(left.map((row) => row.key)).toContain("22222222-2222-4222-8222-222222222222");
    expect(left.map((row) => row.key)).not.toContain("11111111-1111-4111-8111-111111111111");
  });
});

// On PostgreSQL the instances are separate clients with their own connection pools, as separate
// app processes would be; PGlite is one process by design, so there they share the client.
describeEachDatabase("maintenance job on several instances", (database, target) => {
  it("gives each pending event exactly one outcome", async () => {
    const first = database().prisma;
    const second = target.postgresUrl
      ? createPostgresPrisma(target.postgresUrl, { schema: database().schema })
      : first;
    try {
      const pending = [
        await pendingSetThatHappened(first, "Instances-Pass-9a!"),
        await pendingSetThatHappened(first, "Instances-Pass-9b!"),
      ];
      const reports = await Promise.all([
        runDangerZoneMaintenance({ db: first, api: h.api }, { olderThanMs: 0 }),
        runDangerZoneMaintenance({ db: second, api: h.api }, { olderThanMs: 0 }),
      ]);
      expect(reports[0].reconciled + reports[1].reconciled).toBe(2);
      for (const { pendingSequence } of pending) {
        expect((await outcomesOf(first, pendingSequence)).map((row) => row.outcome)).toEqual(["SUCCEEDED"]);
      }
    } finally {
      if (second !== first) await second.$disconnect();
    }
  });
});

describe("npm run audit:reconcile", () => {
  it("settles a pending event in the configured database and says so", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "passdesk-reconcile-cli-"));
    try {
      const caFile = join(dataDir, "ca.pem");
      await writeFile(caFile, h.tenant.caPem);
      // Tenant writes are never retried: done before the slow database set-up below.
      const email = uniqueEmail("cli");
      const userId = await h.createUser(email, "Start-Password-1!");
      // The CLI opens the embedded database in DATA_DIR/db itself, so it is prepared and closed here first.
      const pglite = new PGlite(join(dataDir, "db"));
      await applyMigrations(pglite);
      const db = createPGlitePrisma(pglite);
      const operator = await db.operator.create({
        data: { email: h.operator.email, name: "Support", role: "SUPPORT", passwordHash: "not-used" },
        select: { id: true },
      });
      const audited = await beginAuditedOperation(db, {
        actor: { operatorId: operator.id, email: h.operator.email, role: "SUPPORT" },
        action: "password.set",
        target: { userId, email, connection: DATABASE_CONNECTION },
        reason: "INC-4002 process died",
        request: h.meta,
      });
      // A read first (reads retry a dropped connection): the tenant may have closed the idle
      // keep-alive socket while the embedded database was being created, and a PATCH is never retried.
      await h.findUserId(email);
      await setUserPassword(userId, "Cli-Reconciled-Pass-8!", DATABASE_CONNECTION, h.api);
      await db.$disconnect();
      await pglite.close();

      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", "--conditions=react-server", "scripts/audit-reconcile.ts", "--older-than-sec=0"],
        {
          cwd: process.cwd(),
          env: {
            ...process.env,
            DATA_DIR: dataDir,
            DATABASE_URL: "",
            AUTH0_DOMAIN: h.tenant.domain,
            AUTH0_CLIENT_ID: M2M.clientId,
            AUTH0_CLIENT_SECRET: M2M.clientSecret,
            AUTH0_CA_FILE: caFile,
            LOG_LEVEL: "silent",
          },
        },
      );
      expect(stdout.trim()).toBe("Reconciled 1 pending password change(s); pruned 0 idempotency key(s); expired 0 approval request(s).");

      const reopened = new PGlite(join(dataDir, "db"));
      const check = createPGlitePrisma(reopened);
      const outcomes = await outcomesOf(check, audited.sequence);
      await check.$disconnect();
      await reopened.close();
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({ outcome: "SUCCEEDED", details: { reconciledFrom: "last_password_reset" } });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    // A separate process (tsx start-up, an embedded database on disk) on a shared machine: not a timing assertion.
  }, 180_000);
});
