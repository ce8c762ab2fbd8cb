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
