import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appendAuditEvent, beginAuditedOperation } from "@/lib/audit/append";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { driverOf } from "@/lib/db/adapter";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { DEFAULT_AUDIT_STATE } from "@/lib/validations/audit";

/**
 * The server half of the audit page against a real (in-memory PGlite) database: scope
 * enforcement in every read, the pending→outcome pairing as shown, the streamed export and
 * the event it records, and the banner's cache.
 */
let database: TestDatabase;

vi.mock("@/lib/db", () => ({ getPrisma: async () => database.prisma }));
vi.mock("@/lib/logger", () => ({ logger: { error: vi.fn(), info: vi.fn(), warn: vi.fn() } }));
vi.mock("@/lib/auth/can", async () => {
  const { can } = await import("@/lib/auth/permissions");
  return {
    can: (operator: Pick<OperatorIdentity, "role">, permission: Parameters<typeof can>[1]) =>
      can(operator.role, permission, { supportCanSetPassword: true }),
  };
});

const { auditScopeFor, findAuditEvent, listAuditPage, listPasswordHistory } = await import("./service");
const { createAuditExportResponse } = await import("./export");
const { getAuditChainStatus, CHAIN_STATUS_TTL_MS } = await import("./chain-status");

const ADMIN: OperatorIdentity = {
  id: "op-admin",
  email: "admin@passdesk.test",
  name: "Admin",
  role: "ADMIN",
  scope: null,
};
const SUPPORT: OperatorIdentity = {
  id: "op-support",
  email: "support@passdesk.test",
  name: "Support",
  role: "SUPPORT",
  scope: null,
};
const AUDITOR: OperatorIdentity = {
  id: "op-auditor",
  email: "auditor@passdesk.test",
  name: "Auditor",
  role: "AUDITOR",
  scope: null,
};
const META = { requestId: "req-test", ip: "198.18.0.9", userAgent: "vitest" };

function actor(operator: OperatorIdentity) {
  return { operatorId: operator.id, email: operator.email, role: operator.role };
}

let unresolvedSequence = "";

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.prisma;
  // Admin: a successful set on user A.
  const adminSet = await beginAuditedOperation(db, {
    actor: actor(ADMIN),
    action: "password.set",
    target: {
      userId: "auth0|user-a",
      email: "a@example.com",
      connection: "Username-Password-Authentication",
    },
    reason: "admin reason",
    request: META,
  });
  await adminSet.succeed({ durationMs: 10 });
  // Support: a failed reset email on user A, and a set on user A that never got an outcome.
  const supportEmail = await beginAuditedOperation(db, {
    actor: actor(SUPPORT),
    action: "password.reset_email",
    target: { userId: "auth0|user-a", email: "a@example.com" },
    reason: "=1+1 caller asked",
    request: META,
  });
  await supportEmail.fail({ httpStatus: 429, errorCode: "rate_limited" });
  const unresolved = await beginAuditedOperation(db, {
    actor: actor(SUPPORT),
    action: "password.set",
    target: { userId: "auth0|user-a", email: "a@example.com" },
    reason: "support reason, interrupted",
    request: META,
  });
  unresolvedSequence = unresolved.sequence.toString();
  // Single-shot operator events.
  await appendAuditEvent(db, {
    action: "operator.sign_in",
    outcome: "SUCCEEDED",
    actor: actor(SUPPORT),
    target: { email: SUPPORT.email },
  });
  await appendAuditEvent(db, {
    action: "operator.created",
    outcome: "SUCCEEDED",
    actor: actor(ADMIN),
    target: { email: "new@passdesk.test" },
  });
});

afterAll(async () => {
  await database.close();
});

describe("scope", () => {
  it("is the whole log for admin and auditor, own events for support", () => {
    expect(auditScopeFor(ADMIN)).toEqual({ kind: "all" });
    expect(auditScopeFor(AUDITOR)).toEqual({ kind: "all" });
    expect(auditScopeFor(SUPPORT)).toEqual({ kind: "own", operatorId: SUPPORT.id });
  });

  it("support's pages hold only their own events, even when filtering for someone else", async () => {
    const scope = auditScopeFor(SUPPORT);
    if (!scope) throw new Error("support must have a scope");
    const own = await listAuditPage(scope, { ...DEFAULT_AUDIT_STATE, view: "events" });
    expect(own.events.length).toBeGreaterThan(0);
    expect(new Set(own.events.map((event) => event.actorOperatorId))).toEqual(new Set([SUPPORT.id]));
    const others = await listAuditPage(scope, { ...DEFAULT_AUDIT_STATE, actor: ADMIN.email });
    expect(others.events).toEqual([]);
  });

  it("a single event outside the scope is not found (same as missing)", async () => {
    const all = await listAuditPage(
      { kind: "all" },
      { ...DEFAULT_AUDIT_STATE, actor: ADMIN.email, view: "events" },
    );
    const adminEvent = all.events[0];
    if (!adminEvent) throw new Error("expected admin events");
    expect(await findAuditEvent({ kind: "all" }, adminEvent.sequence)).toMatchObject({
      sequence: adminEvent.sequence,
      hash: adminEvent.hash,
    });
    expect(await findAuditEvent({ kind: "own", operatorId: SUPPORT.id }, adminEvent.sequence)).toBeNull();
    expect(await findAuditEvent({ kind: "all" }, "999999")).toBeNull();
  });
});

describe("operations view and filters", () => {
  it("pairs each request with its outcome and shows a missing one as unknown", async () => {
    const page = await listAuditPage({ kind: "all" }, { ...DEFAULT_AUDIT_STATE, target: "a@example.com" });
    expect(page.events.map((event) => [event.action, event.actorEmail, event.effectiveOutcome])).toEqual([
      ["password.set", SUPPORT.email, "UNKNOWN"],
      ["password.reset_email", SUPPORT.email, "FAILED"],
      ["password.set", ADMIN.email, "SUCCEEDED"],
    ]);
    expect(page.events[1]?.resolution?.details).toEqual({ httpStatus: 429, errorCode: "rate_limited" });
  });

  it("filters by outcome on the operation's final outcome", async () => {
    const unknown = await listAuditPage({ kind: "all" }, { ...DEFAULT_AUDIT_STATE, outcome: "unknown" });
    expect(unknown.events.map((event) => event.sequence)).toEqual([unresolvedSequence]);
    const failed = await listAuditPage({ kind: "all" }, { ...DEFAULT_AUDIT_STATE, outcome: "failed" });
    expect(failed.events.map((event) => event.action)).toEqual(["password.reset_email"]);
  });

  it("pages with a keyset cursor without gaps or repeats", async () => {
    const state = { ...DEFAULT_AUDIT_STATE, view: "events" as const };
    const everything = await listAuditPage({ kind: "all" }, state, 200);
    const seen: string[] = [];
    let cursor = "";
    for (;;) {
      const page = await listAuditPage({ kind: "all" }, { ...state, cursor }, 2);
      seen.push(...page.events.map((event) => event.sequence));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(everything.events.map((event) => event.sequence));
  });

  it("date range excludes days outside it", async () => {
    const future = await listAuditPage({ kind: "all" }, { ...DEFAULT_AUDIT_STATE, from: "2999-01-01" });
    expect(future.events).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const todays = await listAuditPage({ kind: "all" }, { ...DEFAULT_AUDIT_STATE, from: today, to: today });
    expect(todays.events.length).toBeGreaterThan(0);
  });
});

describe("password history", () => {
  it("lists password operations on the user with who, why and outcome", async () => {
    const history = await listPasswordHistory({ kind: "all" }, "auth0|user-a");
    expect(history.events.map((event) => [event.actorEmail, event.reason, event.effectiveOutcome])).toEqual([
      [SUPPORT.email, "support reason, interrupted", "UNKNOWN"],
      [SUPPORT.email, "=1+1 caller asked", "FAILED"],
      [ADMIN.email, "admin reason", "SUCCEEDED"],
    ]);
  });

  it("respects the own scope", async () => {
    const history = await listPasswordHistory({ kind: "own", operatorId: ADMIN.id }, "auth0|user-a");
    expect(history.events.map((event) => event.reason)).toEqual(["admin reason"]);
    expect((await listPasswordHistory({ kind: "all" }, "auth0|nobody")).events).toEqual([]);
  });
});

async function exportedEvents() {
  const page = await listAuditPage(
    { kind: "all" },
    { ...DEFAULT_AUDIT_STATE, action: "audit.exported", view: "events" },
  );
  return page.events;
}

describe("export", () => {
  it("streams the filtered set as CSV, neutralises formulas, and records the export with its row count", async () => {
    const response = await createAuditExportResponse({
      operator: AUDITOR,
      meta: META,
      scope: { kind: "all" },
      state: { ...DEFAULT_AUDIT_STATE, target: "auth0|user-a", cursor: "1" },
      format: "csv",
    });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="passdesk-audit-\d{8}T\d{6}Z\.csv"$/,
    );
    const text = await response.text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^sequence,time,actorOperatorId,/);
    // The cursor of the page the operator was on is ignored: all three operations are exported.
    expect(lines).toHaveLength(4);
    expect(text).toContain(",'=1+1 caller asked,");
    const [outcomeEvent, pendingEvent] = await exportedEvents();
    expect(pendingEvent).toMatchObject({
      outcome: "PENDING",
      actorEmail: AUDITOR.email,
      effectiveOutcome: "SUCCEEDED",
      details: { format: "csv" },
    });
    expect(pendingEvent?.resolution?.details).toEqual({ format: "csv", rowCount: 3 });
    expect(outcomeEvent).toMatchObject({
      outcome: "SUCCEEDED",
      relatedSequence: pendingEvent?.sequence,
      details: { format: "csv", rowCount: 3 },
    });
  });

  it("streams NDJSON restricted to the scope", async () => {
    const response = await createAuditExportResponse({
      operator: SUPPORT,
      meta: META,
      scope: { kind: "own", operatorId: SUPPORT.id },
      state: { ...DEFAULT_AUDIT_STATE, view: "events" },
      format: "ndjson",
    });
    const rows = (await response.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { actorOperatorId: string; action: string });
    expect(rows.length).toBeGreaterThan(3);
    expect(new Set(rows.map((row) => row.actorOperatorId))).toEqual(new Set([SUPPORT.id]));
  });

  it("records an abandoned export as failed with the rows sent so far", async () => {
    const response = await createAuditExportResponse({
      operator: ADMIN,
      meta: META,
      scope: { kind: "all" },
      state: { ...DEFAULT_AUDIT_STATE, view: "events" },
      format: "ndjson",
      chunkChars: 1,
    });
    const reader = response.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    const [latest] = await exportedEvents();
    expect(latest).toMatchObject({
      outcome: "FAILED",
      actorEmail: ADMIN.email,
      details: { format: "ndjson", errorCode: "aborted" },
    });
  });

  it("refuses to start when the export cannot be recorded (fail-closed)", async () => {
    // The database refuses the write, on either path an append takes (one statement on the
    // driver when the chain head is known, else a transaction through Prisma).
    const spy = vi.spyOn(database.prisma, "$transaction").mockRejectedValueOnce(new Error("database down"));
    const driver = driverOf(database.prisma);
    const driverSpy = driver ? vi.spyOn(driver, "query").mockRejectedValueOnce(new Error("database down")) : undefined;
    await expect(
      createAuditExportResponse({
        operator: ADMIN,
        meta: META,
        scope: { kind: "all" },
        state: DEFAULT_AUDIT_STATE,
        format: "csv",
      }),
    ).rejects.toThrow(/could not be recorded/);
    spy.mockRestore();
    driverSpy?.mockRestore();
  });
});

describe("chain status", () => {
  it("reports an intact chain and reuses the result for a short while", async () => {
    const now = Date.now();
    const first = await getAuditChainStatus(now);
    expect(first).toMatchObject({ ok: true });
    await appendAuditEvent(database.prisma, {
      action: "operator.sign_in",
      outcome: "SUCCEEDED",
      actor: actor(ADMIN),
      target: { email: ADMIN.email },
    });
    expect(await getAuditChainStatus(now + 1_000)).toEqual(first);
    const later = await getAuditChainStatus(now + CHAIN_STATUS_TTL_MS + 60_000);
    expect(later.count).toBe(first.count + 1);
  });

  it("names the first bad event when a row was edited", async () => {
    await database.sql.exec(
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER USER; UPDATE "AuditEvent" SET "reason" = 'rewritten' WHERE "sequence" = 2; ALTER TABLE "AuditEvent" ENABLE TRIGGER USER;`,
    );
    const status = await getAuditChainStatus(Date.now() + 10 * CHAIN_STATUS_TTL_MS);
    expect(status).toMatchObject({ ok: false, firstBadSequence: "2", reason: "edited" });
  });
});
