// First: stubs the framework edges before any app module loads (see the helper).
import { edges } from "../support/app-edges";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";
import type { Prisma } from "@/lib/generated/prisma/client";
import { resetOperatorRateLimits } from "@/lib/http/operator-rate-limit";
import { installAuth0Clients } from "../faults/app-stubs";
import { newKey, startHarness, type Harness } from "../passwords/harness";

/**
 * Scoped operators (issue 16, item 4) reading the audit log: a scoped reader sees only events
 * whose target user is in their scope (asked at Auth0 when they read), plus their own events
 * that have no target user; an event of an out-of-scope user opened directly answers like a
 * missing one; exports stream the same set. An unscoped reader can filter by another operator's
 * scope (`scopeOf`). Route handlers called in-process as Next calls them; real tenant, real
 * database; only the framework edges are stubbed (see app-edges).
 */
vi.hoisted(() => {
  process.env.LOG_LEVEL = "silent";
});
edges.requestId = "req-scope-audit";

const passwords = await import("@/lib/actions/passwords");
const eventsRoute = await import("@/app/api/audit/events/route");
const eventRoute = await import("@/app/api/audit/events/[sequence]/route");
const exportRoute = await import("@/app/api/audit/export/route");
const { listPasswordHistory, auditScopeFor } = await import("@/lib/audit-view/service");
const { recordOperatorEvent } = await import("@/lib/audit/operator-events");

const EU_FILTER = { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' };
const META = { requestId: "req-scope-audit", ip: "198.51.100.9", userAgent: "vitest" };

let h: Harness;
let admin: OperatorIdentity;
let auditor: OperatorIdentity;
let euAuditor: OperatorIdentity;
let euSupport: OperatorIdentity;
let eu: { userId: string; email: string };
let us: { userId: string; email: string };

async function createOperator(
  email: string,
  role: "ADMIN" | "SUPPORT" | "AUDITOR",
  scope: Prisma.InputJsonValue | null,
): Promise<OperatorIdentity> {
  return h.database.prisma.operator
    .create({ data: { email, name: email, role, passwordHash: "x", ...(scope === null ? {} : { scope }) }, select: identitySelect })
    .then(toOperatorIdentity);
}

async function createUser(region: "eu" | "us"): Promise<{ userId: string; email: string }> {
  const email = `audit-${region}-${Date.now().toString(36)}@scope-audit.passdesk.test`;
  const created = await h.api.run("test.create_user", (client) =>
    client.users.create({
      connection: "Username-Password-Authentication",
      email,
      password: "Start-Password-1!",
      email_verified: true,
      name: `Audit ${region}`,
      app_metadata: { region },
    }),
  );
  return { userId: (created as { user_id: string }).user_id, email };
}

function requestFor(pathname: string, query: Record<string, string> = {}): NextRequest {
  const url = new URL(pathname, "http://localhost:3000");
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return new NextRequest(url, { headers: { "x-request-id": "req-scope-audit" } });
}

type Row = { sequence: string; action: string; actorEmail: string | null; targetUserId: string | null; outcome: string };

async function readPage(as: OperatorIdentity, query: Record<string, string> = {}) {
  edges.operator = as;
  const response = await eventsRoute.GET(requestFor("/api/audit/events", query), { params: Promise.resolve({}) });
  const body = (await response.json()) as { events?: Row[]; nextCursor?: string | null; error?: { code: string; parameter?: string } };
  return { status: response.status, body };
}

/** What a page shows, without the sequence numbers: action, actor, target. */
async function rows(as: OperatorIdentity, query: Record<string, string> = {}) {
  const { status, body } = await readPage(as, query);
  expect(status).toBe(200);
  return (body.events ?? []).map((event) => [event.action, event.actorEmail, event.targetUserId]);
}

/** Every row of a walk through all pages of `limit` rows. */
async function walk(as: OperatorIdentity, query: Record<string, string>, limit: number) {
  const seen: (string | null)[][] = [];
  let cursor = "";
  for (let pages = 0; pages < 50; pages += 1) {
    const { body } = await readPage(as, { ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    seen.push(...(body.events ?? []).map((event) => [event.action, event.targetUserId]));
    if (!body.nextCursor) return seen;
    cursor = body.nextCursor;
  }
  throw new Error("the pages never ended");
}

async function openEvent(as: OperatorIdentity, sequence: string) {
  edges.operator = as;
  const response = await eventRoute.GET(requestFor(`/api/audit/events/${sequence}`), {
    params: Promise.resolve({ sequence }),
  });
  const body = (await response.json()) as { sequence?: string; error?: { code: string } };
  return { status: response.status, code: body.error?.code ?? null, sequence: body.sequence ?? null };
}

/** The NDJSON export as [action, target] per row, plus the HTTP status. */
async function exportRows(as: OperatorIdentity, query: Record<string, string> = {}) {
  edges.operator = as;
  const response = await exportRoute.GET(requestFor("/api/audit/export", { format: "ndjson", ...query }), {
    params: Promise.resolve({}),
  });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, rows: [], error: JSON.parse(text) as { error: { code: string; parameter?: string } } };
  const parsed = text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Row);
  return { status: 200, rows: parsed.map((row) => [row.action, row.targetUserId]), error: null };
}

async function sequenceOf(action: string, targetUserId: string): Promise<string> {
  const row = await h.database.prisma.auditEvent.findFirst({
    where: { action, targetUserId },
    orderBy: { sequence: "asc" },
    select: { sequence: true },
  });
  if (!row) throw new Error(`no ${action} event for ${targetUserId}`);
  return row.sequence.toString();
}

beforeAll(async () => {
  h = await startHarness();
  edges.dangerZoneDeps = h.deps;
  edges.prisma = h.database.prisma;
  installAuth0Clients(h.api, h.auth);
  admin = await createOperator("admin@scope-audit.passdesk.test", "ADMIN", null);
  auditor = await createOperator("auditor@scope-audit.passdesk.test", "AUDITOR", null);
  euAuditor = await createOperator("eu-auditor@scope-audit.passdesk.test", "AUDITOR", EU_FILTER);
  euSupport = await createOperator("eu-support@scope-audit.passdesk.test", "SUPPORT", EU_FILTER);
  eu = await createUser("eu");
  us = await createUser("us");

  // The log, oldest first: each reset email is a pending event and its outcome.
  edges.operator = admin;
  for (const user of [eu, us, us, eu]) {
    const sent = await passwords.sendResetEmailAction({ userId: user.userId, reason: "INC-9016 audit scope", idempotencyKey: newKey() });
    expect(sent).toMatchObject({ ok: true });
  }
  edges.operator = euSupport;
  expect(
    await passwords.sendResetEmailAction({ userId: eu.userId, reason: "INC-9016 eu desk", idempotencyKey: newKey() }),
  ).toMatchObject({ ok: true });
  // Events without a target user: sign-ins of the EU auditor and of the admin.
  await recordOperatorEvent("operator.sign_in", { actor: euAuditor, meta: META, target: { email: euAuditor.email }, details: { method: "password" } });
  await recordOperatorEvent("operator.sign_in", { actor: admin, meta: META, target: { email: admin.email }, details: { method: "password" } });
});

afterAll(async () => {
  await h?.close();
});

beforeEach(() => {
  resetOperatorRateLimits();
});

const ADMIN = "admin@scope-audit.passdesk.test";
const EU_AUDITOR = "eu-auditor@scope-audit.passdesk.test";
const EU_SUPPORT = "eu-support@scope-audit.passdesk.test";

describe("an EU-scoped auditor reading the audit log", () => {
  it("sees the events of EU users and their own sign-in, not a US user's events nor others' sign-ins", async () => {
    expect(await rows(euAuditor)).toEqual([
      ["operator.sign_in", EU_AUDITOR, null],
      ["password.reset_email", EU_SUPPORT, eu.userId],
      ["password.reset_email", ADMIN, eu.userId],
      ["password.reset_email", ADMIN, eu.userId],
    ]);
    // The unscoped auditor still reads everything.
    expect(await rows(auditor)).toEqual([
      ["operator.sign_in", ADMIN, null],
      ["operator.sign_in", EU_AUDITOR, null],
      ["password.reset_email", EU_SUPPORT, eu.userId],
      ["password.reset_email", ADMIN, eu.userId],
      ["password.reset_email", ADMIN, us.userId],
      ["password.reset_email", ADMIN, us.userId],
      ["password.reset_email", ADMIN, eu.userId],
    ]);
  });

  it("pages through the scoped set without gaps or repeats, one row a page", async () => {
    const expected = [
      ["operator.sign_in", null],
      ["password.reset_email", eu.userId],
      ["password.reset_email", eu.userId],
      ["password.reset_email", eu.userId],
      ["password.reset_email", eu.userId],
      ["password.reset_email", eu.userId],
      ["password.reset_email", eu.userId],
    ];
    expect(await walk(euAuditor, { view: "events" }, 1)).toEqual(expected);
    expect(await walk(euAuditor, { view: "events" }, 3)).toEqual(expected);
  });

  it("gets nothing for a US user by target filter, and a US user's event opened by sequence is not found", async () => {
    expect(await rows(euAuditor, { target: us.userId })).toEqual([]);
    expect(await rows(euAuditor, { target: us.email })).toEqual([]);
    const usEvent = await sequenceOf("password.reset_email", us.userId);
    const euEvent = await sequenceOf("password.reset_email", eu.userId);
    expect(await openEvent(euAuditor, usEvent)).toEqual({ status: 404, code: "not_found", sequence: null });
    // Exactly what an event that does not exist answers.
    expect(await openEvent(euAuditor, "999999")).toEqual({ status: 404, code: "not_found", sequence: null });
    expect(await openEvent(euAuditor, euEvent)).toEqual({ status: 200, code: null, sequence: euEvent });
    expect(await openEvent(auditor, usEvent)).toEqual({ status: 200, code: null, sequence: usEvent });
  });

  it("reads no password history of a US user", async () => {
    const history = async (reader: OperatorIdentity, userId: string) => {
      const scope = auditScopeFor(reader);
      if (!scope) throw new Error("no audit scope");
      return (await listPasswordHistory(scope, userId)).events.map((event) => event.actorEmail);
    };
    expect(await history(euAuditor, us.userId)).toEqual([]);
    expect(await history(euAuditor, eu.userId)).toEqual([EU_SUPPORT, ADMIN, ADMIN]);
    expect(await history(auditor, us.userId)).toEqual([ADMIN, ADMIN]);
  });

  it("exports the same filtered set", async () => {
    expect(await exportRows(euAuditor, { action: "password.reset_email" })).toEqual({
      status: 200,
      rows: [
        ["password.reset_email", eu.userId],
        ["password.reset_email", eu.userId],
        ["password.reset_email", eu.userId],
      ],
      error: null,
    });
    expect(await exportRows(euAuditor, { target: us.userId, view: "events" })).toEqual({ status: 200, rows: [], error: null });
  });
});

describe("filtering by an operator's scope", () => {
  it("shows an unscoped auditor the events whose target is in that operator's scope", async () => {
    expect(await rows(auditor, { scopeOf: euSupport.id, action: "password.reset_email" })).toEqual([
      ["password.reset_email", EU_SUPPORT, eu.userId],
      ["password.reset_email", ADMIN, eu.userId],
      ["password.reset_email", ADMIN, eu.userId],
    ]);
    // Events without a target user are not "within a scope".
    expect(await rows(auditor, { scopeOf: euSupport.id, action: "operator.sign_in" })).toEqual([]);
    expect(await exportRows(auditor, { scopeOf: euSupport.id, action: "password.reset_email" })).toEqual({
      status: 200,
      rows: [
        ["password.reset_email", eu.userId],
        ["password.reset_email", eu.userId],
        ["password.reset_email", eu.userId],
      ],
      error: null,
    });
  });

  it("refuses an unknown operator, an operator without a scope, and a reader who is scoped themselves", async () => {
    const invalid = { status: 400, code: "invalid_params", parameter: "scopeOf" };
    const answer = async (as: OperatorIdentity, scopeOf: string) => {
      const { status, body } = await readPage(as, { scopeOf });
      return { status, code: body.error?.code, parameter: body.error?.parameter };
    };
    expect(await answer(auditor, "clxxxxxxxxxxxxxxxxxxxxxxx")).toEqual(invalid);
    expect(await answer(auditor, admin.id)).toEqual(invalid);
    expect(await answer(auditor, "not an id!")).toEqual(invalid);
    expect(await answer(euAuditor, euSupport.id)).toEqual(invalid);
    const exported = await exportRows(auditor, { scopeOf: "clxxxxxxxxxxxxxxxxxxxxxxx" });
    expect([exported.status, exported.error?.error.code, exported.error?.error.parameter]).toEqual([
      400,
      "invalid_params",
      "scopeOf",
    ]);
  });
});

describe("a scoped reader's pages over a long stretch of out-of-scope events", () => {
  it("answers after 2,000 rows with a cursor to go on, and the next page finds the EU event below them", async () => {
    const { appendAuditEvent } = await import("@/lib/audit/append");
    const { SCOPED_SCAN_LIMIT } = await import("@/lib/audit-view/visible");
    expect(SCOPED_SCAN_LIMIT).toBe(2_000);
    const actor = { operatorId: admin.id, email: admin.email, role: admin.role };
    await appendAuditEvent(h.database.prisma, {
      action: "account.block",
      outcome: "FAILED",
      actor,
      target: { userId: eu.userId, email: eu.email },
      details: { errorCode: "upstream_error" },
    });
    for (let index = 0; index < 2_100; index += 1) {
      await appendAuditEvent(h.database.prisma, {
        action: "account.block",
        outcome: "FAILED",
        actor,
        target: { userId: us.userId, email: us.email },
        details: { errorCode: "upstream_error" },
      });
    }
    const query = { action: "account.block", view: "events" };
    const first = await readPage(euAuditor, query);
    expect(first.status).toBe(200);
    expect(first.body.events).toEqual([]);
    expect(first.body.nextCursor).toMatch(/^[1-9]\d*$/);
    const second = await readPage(euAuditor, { ...query, cursor: first.body.nextCursor ?? "" });
    expect((second.body.events ?? []).map((event) => [event.action, event.targetUserId])).toEqual([
      ["account.block", eu.userId],
    ]);
    expect(second.body.nextCursor).toBeNull();
    // The export has no such bound: the one EU event, nothing of the 2,100.
    expect(await exportRows(euAuditor, query)).toEqual({ status: 200, rows: [["account.block", eu.userId]], error: null });
  }, 120_000);
});
