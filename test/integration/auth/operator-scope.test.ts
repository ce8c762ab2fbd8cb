import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as Database from "@/lib/db";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { setUpSupportTenant } from "../auth0/support-helpers";

/**
 * Setting an operator's scope (issue 16) against a real database and the real local tenant:
 * lib/scope/validate.ts asks the tenant whether the connections and organizations exist and
 * whether Auth0 accepts the filter; a refused scope saves nothing and writes no audit event; a
 * saved one is audited as operator.scope_changed with before and after.
 */
const state = vi.hoisted(() => ({ database: null as TestDatabase | null }));
vi.mock("@/lib/db", async (importOriginal) => ({
  ...(await importOriginal<typeof Database>()),
  getPrisma: async () => {
    if (!state.database) throw new Error("test database not ready");
    return state.database.prisma;
  },
}));

const { changeOperatorScope, findOperatorById } = await import("@/lib/operators/service");
const { createOperator } = await import("@/lib/auth/operator-admin");
const { toOperatorIdentity } = await import("@/lib/auth/operator-identity");

const support = setUpSupportTenant(30);
/** The seeded organizations' ids (tenant/src/organizations.ts derives them from the names). */
const ACME = "org_JVrn95qKLBSl5cOP";
const GLOBEX = "org_Kix8mLxD6uRqNz81";

let database: TestDatabase;
let adminId: string;
let targetId: string;
const meta = { requestId: "req-scope", ip: "198.51.100.9", userAgent: "vitest" };

beforeAll(async () => {
  database = await createTestDatabase();
  state.database = database;
  adminId = (await createOperator({ email: "scope-admin@passdesk.test", name: "Admin", role: "ADMIN", password: "x".repeat(16) })).id;
  targetId = (await createOperator({ email: "scoped@passdesk.test", name: "Scoped", role: "SUPPORT", password: "x".repeat(16) })).id;
});
afterAll(async () => {
  await database?.close();
});

let since = BigInt(0);
beforeEach(async () => {
  since = (await database.prisma.auditEvent.aggregate({ _max: { sequence: true } }))._max.sequence ?? BigInt(0);
});
async function auditRows() {
  return database.prisma.auditEvent.findMany({
    where: { sequence: { gt: since } },
    orderBy: { sequence: "asc" },
    select: { action: true, outcome: true, actorEmail: true, targetEmail: true, details: true },
  });
}
async function storedScope() {
  return (await database.prisma.operator.findUniqueOrThrow({ where: { id: targetId }, select: { scope: true } })).scope;
}
async function byAdmin() {
  const row = await database.prisma.operator.findUniqueOrThrow({ where: { id: adminId }, select: { id: true, email: true, name: true, role: true, scope: true } });
  return { kind: "operator" as const, operator: toOperatorIdentity(row), meta };
}
async function target() {
  const found = await findOperatorById(targetId);
  if (!found) throw new Error("target operator missing");
  return found;
}

describe("a valid scope", () => {
  it("is saved normalized (organization by name stored as its id) and audited with before and after", async () => {
    await database.prisma.operator.update({ where: { id: targetId }, data: { scope: { connections: ["github"], organizations: [], filter: null } } });
    const result = await changeOperatorScope(
      await target(),
      { connections: [" Username-Password-Authentication "], organizations: ["acme", GLOBEX], filter: ' app_metadata.region:"eu" ' },
      await byAdmin(),
      support.api,
    );
    expect(result).toMatchObject({ ok: true, changed: true });
    expect(await storedScope()).toEqual({
      connections: ["Username-Password-Authentication"],
      organizations: [ACME, GLOBEX],
      filter: 'app_metadata.region:"eu"',
    });
    expect(await auditRows()).toEqual([
      {
        action: "operator.scope_changed",
        outcome: "SUCCEEDED",
        actorEmail: "scope-admin@passdesk.test",
        targetEmail: "scoped@passdesk.test",
        details: {
          previousScope: '{"connections":["github"],"organizations":[],"filter":null}',
          newScope: `{"connections":["Username-Password-Authentication"],"organizations":["${ACME}","${GLOBEX}"],"filter":"app_metadata.region:\\"eu\\""}`,
        },
      },
    ]);
  });

  it("the same scope again writes nothing; an empty one is the whole tenant (null)", async () => {
    const again = await changeOperatorScope(
      await target(),
      { connections: ["Username-Password-Authentication"], organizations: [ACME, "globex"], filter: 'app_metadata.region:"eu"' },
      await byAdmin(),
      support.api,
    );
    expect(again).toMatchObject({ ok: true, changed: false });
    expect(await auditRows()).toEqual([]);

    const cleared = await changeOperatorScope(await target(), { connections: [], organizations: [], filter: "  " }, await byAdmin(), support.api);
    expect(cleared).toMatchObject({ ok: true, changed: true });
    expect(await storedScope()).toBeNull();
    expect((await auditRows()).map((row) => row.details)).toEqual([
      {
        previousScope: `{"connections":["Username-Password-Authentication"],"organizations":["${ACME}","${GLOBEX}"],"filter":"app_metadata.region:\\"eu\\""}`,
        newScope: null,
      },
    ]);
  });
});

describe("a refused scope saves nothing and writes no audit event", () => {
  const BEFORE = { connections: [], organizations: [], filter: 'app_metadata.region:"us"' };
  beforeEach(async () => {
    await database.prisma.operator.update({ where: { id: targetId }, data: { scope: BEFORE } });
  });

  it.each([
    ["an unknown connection", { connections: ["no-such-connection"] }, [{ field: "connections", code: "connection_unknown", value: "no-such-connection" }]],
    ["a connection name that cannot exist", { connections: ["bad name!"] }, [{ field: "connections", code: "connection_invalid", value: "bad name!" }]],
    ["an unknown organization (by name)", { organizations: ["umbrella"] }, [{ field: "organizations", code: "organization_unknown", value: "umbrella" }]],
    ["an unknown organization (by id)", { organizations: ["org_doesnotexist0000"] }, [{ field: "organizations", code: "organization_unknown", value: "org_doesnotexist0000" }]],
    ["a filter Auth0 rejects", { filter: "app_metadata.region:" }, [{ field: "filter", code: "filter_rejected", auth0Message: "Invalid query: Missing value after 'app_metadata.region:' (found the end of the query)" }]],
    ["a filter with a dangling AND", { filter: 'app_metadata.region:"eu" AND' }, [{ field: "filter", code: "filter_rejected", auth0Message: "Invalid query: 'AND' at position 25 needs a clause on both sides" }]],
    ["an unbalanced filter", { filter: 'app_metadata.region:("eu"' }, [{ field: "filter", code: "filter_unbalanced" }]],
    ["a filter that is too long", { filter: `email:${"a".repeat(1_000)}` }, [{ field: "filter", code: "filter_too_long" }]],
  ])("%s", async (_name, input, problems) => {
    const result = await changeOperatorScope(await target(), input, await byAdmin(), support.api);
    expect(result).toEqual({ ok: false, problems });
    expect(await storedScope()).toEqual(BEFORE);
    expect(await auditRows()).toEqual([]);
  });

  it("every problem at once is named, each on its field", async () => {
    const result = await changeOperatorScope(
      await target(),
      { connections: ["github", "nope"], organizations: ["umbrella"], filter: "email:" },
      await byAdmin(),
      support.api,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: "organizations", code: "organization_unknown", value: "umbrella" },
        { field: "connections", code: "connection_unknown", value: "nope" },
        { field: "filter", code: "filter_rejected", auth0Message: "Invalid query: Missing value after 'email:' (found the end of the query)" },
      ],
    });
    expect(await storedScope()).toEqual(BEFORE);
  });
});
