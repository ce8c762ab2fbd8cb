import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalTenant, type LocalTenant } from "../auth0/local-tenant";

/**
 * `npm run operator -- scope` as an admin runs it: the real script in its own process, on an
 * embedded database in a temporary DATA_DIR, checking the scope against the real local tenant
 * (AUTH0_DOMAIN and the demo M2M client, the tenant's CA in AUTH0_CA_FILE).
 */
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");
const ACME = "org_JVrn95qKLBSl5cOP";
let dataDir: string;
let tenant: LocalTenant;

async function operatorCli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/operator.ts", ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        DATA_DIR: dataDir,
        LOG_LEVEL: "silent",
        NEXTAUTH_SECRET: "x".repeat(40),
        AUTH0_DOMAIN: tenant.domain,
        AUTH0_CLIENT_ID: "passdesk-demo-m2m",
        AUTH0_CLIENT_SECRET: "passdesk-demo-m2m-secret",
        AUTH0_CA_FILE: path.join(dataDir, "tenant-ca.pem"),
      },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

async function readDatabase<T>(query: (db: PGlite) => Promise<T>): Promise<T> {
  const db = new PGlite(path.join(dataDir, "db"));
  try {
    return await query(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  tenant = await startLocalTenant(20);
  dataDir = await mkdtemp(path.join(tmpdir(), "passdesk-scope-cli-"));
  await writeFile(path.join(dataDir, "tenant-ca.pem"), tenant.caPem);
}, 120_000);
afterAll(async () => {
  await tenant?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it("scope sets a validated scope, refuses a bad one with its message and saves nothing, --clear is the whole tenant", async () => {
  expect((await operatorCli("create", "--email", "cli-scope@passdesk.test", "--role", "support", "--generate")).code).toBe(0);

  const set = await operatorCli("scope", "cli-scope@passdesk.test", "--organization", "acme", "--filter", 'app_metadata.region:"eu"');
  expect(set).toEqual({
    code: 0,
    stderr: "",
    stdout: `Scope of cli-scope@passdesk.test: {"connections":[],"organizations":["${ACME}"],"filter":"app_metadata.region:\\"eu\\""}\n`,
  });

  const refused = await operatorCli("scope", "--email", "cli-scope@passdesk.test", "--connection", "nope", "--filter", "app_metadata.region:");
  expect(refused).toEqual({
    code: 1,
    stdout: "",
    stderr: [
      "The scope was not saved.",
      '  connections: There is no connection "nope" in this tenant.',
      "  filter: Auth0 does not accept this filter: Invalid query: Missing value after 'app_metadata.region:' (found the end of the query)",
      "",
    ].join("\n"),
  });

  // Neither --clear nor a part, or both: the usage, nothing changed.
  expect((await operatorCli("scope", "cli-scope@passdesk.test")).code).toBe(2);
  expect((await operatorCli("scope", "cli-scope@passdesk.test", "--clear", "--connection", "github")).code).toBe(2);

  const stored = await readDatabase((db) => db.query<{ scope: unknown }>(`SELECT "scope" FROM "Operator" WHERE "email" = 'cli-scope@passdesk.test'`));
  expect(stored.rows).toEqual([{ scope: { connections: [], organizations: [ACME], filter: 'app_metadata.region:"eu"' } }]);

  expect((await operatorCli("scope", "cli-scope@passdesk.test", "--clear")).stdout).toBe("Scope of cli-scope@passdesk.test: whole tenant\n");

  const osUser = userInfo().username;
  const rows = await readDatabase((db) =>
    db.query<{ action: string; actorEmail: string | null; targetEmail: string; details: unknown }>(
      `SELECT "action", "actorEmail", "targetEmail", "details" FROM "AuditEvent" WHERE "action" = 'operator.scope_changed' ORDER BY "sequence"`,
    ),
  );
  expect(rows.rows).toEqual([
    {
      action: "operator.scope_changed",
      actorEmail: null,
      targetEmail: "cli-scope@passdesk.test",
      details: { previousScope: null, newScope: `{"connections":[],"organizations":["${ACME}"],"filter":"app_metadata.region:\\"eu\\""}`, via: "cli", osUser },
    },
    {
      action: "operator.scope_changed",
      actorEmail: null,
      targetEmail: "cli-scope@passdesk.test",
      details: { previousScope: `{"connections":[],"organizations":["${ACME}"],"filter":"app_metadata.region:\\"eu\\""}`, newScope: null, via: "cli", osUser },
    },
  ]);
}, 300_000);
