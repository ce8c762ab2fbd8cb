import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it } from "vitest";

/**
 * `npm run operator` as an admin runs it: the real script in its own process on an embedded
 * database in a temporary DATA_DIR; afterwards the audit log is read from that database.
 */
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");
let dataDir: string;

async function operatorCli(...args: string[]) {
  return run(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/operator.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", DATA_DIR: dataDir, LOG_LEVEL: "silent" },
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "passdesk-cli-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

it("create, disable and enable from the CLI each write an audit event marked as coming from the CLI", async () => {
  const created = await operatorCli("create", "--email", "cli-made@passdesk.test", "--role", "support", "--generate");
  expect(created.stdout).toContain("Created support operator cli-made@passdesk.test.");
  expect(created.stdout).toMatch(/Initial password \(shown once\): [A-Za-z0-9]{24}/);
  await operatorCli("disable", "--email", "cli-made@passdesk.test");
  await operatorCli("enable", "--email", "cli-made@passdesk.test");

  const db = new PGlite(path.join(dataDir, "db"));
  try {
    const { rows } = await db.query<{ action: string; actorEmail: string | null; actorOperatorId: string | null; targetEmail: string; details: unknown; userAgent: string }>(
      `SELECT "action", "actorEmail", "actorOperatorId", "targetEmail", "details", "userAgent" FROM "AuditEvent" ORDER BY "sequence"`,
    );
    const osUser = userInfo().username;
    expect(rows).toEqual([
      { action: "operator.created", actorEmail: null, actorOperatorId: null, targetEmail: "cli-made@passdesk.test", details: { newRole: "SUPPORT", via: "cli", osUser }, userAgent: "passdesk-cli" },
      { action: "operator.disabled", actorEmail: null, actorOperatorId: null, targetEmail: "cli-made@passdesk.test", details: { via: "cli", osUser }, userAgent: "passdesk-cli" },
      { action: "operator.enabled", actorEmail: null, actorOperatorId: null, targetEmail: "cli-made@passdesk.test", details: { via: "cli", osUser }, userAgent: "passdesk-cli" },
    ]);
    // The generated password is nowhere in the audit log.
    const password = /Initial password \(shown once\): (\S+)/.exec(created.stdout)?.[1] ?? "";
    const { rows: dump } = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "AuditEvent" t`);
    expect(dump.map((entry) => entry.row).join("\n")).not.toContain(password);
  } finally {
    await db.close();
  }
}, 300_000);

it("reset-mfa from the CLI removes every factor, ends the operator's sessions and is audited as from the CLI", async () => {
  await operatorCli("create", "--email", "cli-mfa@passdesk.test", "--role", "admin", "--generate");
  const seed = new PGlite(path.join(dataDir, "db"));
  try {
    const { rows } = await seed.query<{ id: string }>(`SELECT "id" FROM "Operator" WHERE "email" = 'cli-mfa@passdesk.test'`);
    const operatorId = rows[0]?.id as string;
    await seed.query(`INSERT INTO "OperatorTotp" ("operatorId", "secretEncrypted", "confirmedAt") VALUES ($1, 'v1.x.y.z', now())`, [operatorId]);
    await seed.query(`INSERT INTO "OperatorRecoveryCode" ("id", "operatorId", "codeHash") VALUES ('rc1', $1, $2)`, [operatorId, "a".repeat(64)]);
    await seed.query(
      `INSERT INTO "OperatorSession" ("id", "operatorId", "lastSeenAt", "expiresAt") VALUES ('cli-mfa-session', $1, now(), now() + interval '1 hour')`,
      [operatorId],
    );
  } finally {
    await seed.close();
  }

  const reset = await operatorCli("reset-mfa", "--email", "cli-mfa@passdesk.test");
  expect(reset.stdout).toContain("Reset two-step verification of cli-mfa@passdesk.test; ended 1 session(s).");

  const db = new PGlite(path.join(dataDir, "db"));
  try {
    const counts = await db.query<{ totp: number; codes: number; open: number }>(
      `SELECT (SELECT count(*)::int FROM "OperatorTotp") AS totp, (SELECT count(*)::int FROM "OperatorRecoveryCode") AS codes,
              (SELECT count(*)::int FROM "OperatorSession" WHERE "revokedAt" IS NULL) AS open`,
    );
    expect(counts.rows[0]).toEqual({ totp: 0, codes: 0, open: 0 });
    const { rows } = await db.query<{ action: string; actorEmail: string | null; details: unknown }>(
      `SELECT "action", "actorEmail", "details" FROM "AuditEvent" WHERE "action" = 'operator.mfa_reset'`,
    );
    expect(rows).toEqual([{ action: "operator.mfa_reset", actorEmail: null, details: { factor: "all", sessionsEnded: 1, via: "cli", osUser: userInfo().username } }]);
  } finally {
    await db.close();
  }
}, 300_000);
