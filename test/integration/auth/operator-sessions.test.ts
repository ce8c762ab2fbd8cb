import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as Database from "@/lib/db";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";

/**
 * Server-side sessions against a real (in-memory PGlite) database, with the clock passed in:
 * idle and absolute expiry are tested by moving `now`, never by sleeping. The app's database
 * module is pointed at the test database so operator-admin's real queries run against it.
 */
const state = vi.hoisted(() => ({ database: null as TestDatabase | null }));
vi.mock("@/lib/db", async (importOriginal) => ({
  ...(await importOriginal<typeof Database>()),
  getPrisma: async () => {
    if (!state.database) throw new Error("test database not ready");
    return state.database.prisma;
  },
}));

const { createOperatorSession, revokeOperatorSession, revokeOperatorSessions, validateOperatorSession } = await import(
  "@/lib/auth/operator-sessions"
);
const { setOperatorDisabled, setOperatorRole } = await import("@/lib/auth/operator-admin");

const settings = { absoluteMs: 8 * 60 * 60 * 1000, idleMs: 30 * 60 * 1000 };
const t0 = new Date("2026-04-01T08:00:00.000Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

let database: TestDatabase;
let operatorId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  state.database = database;
  operatorId = (
    await database.prisma.operator.create({
      data: { email: "session@passdesk.test", name: "Session", role: "SUPPORT", passwordHash: "x" },
      select: { id: true },
    })
  ).id;
});
afterAll(async () => {
  await database?.close();
});

async function open(now = t0) {
  return createOperatorSession(database.prisma, { operatorId, ip: "198.51.100.1", userAgent: "vitest", now, settings });
}

describe("operator sessions", () => {
  it("a new session is valid and names its operator; its id is long and random", async () => {
    const session = await open();
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.expiresAt.toISOString()).toBe("2026-04-01T16:00:00.000Z");
    expect(await validateOperatorSession(database.prisma, session.id, at(1), settings)).toMatchObject({
      sessionId: session.id,
      id: operatorId,
      email: "session@passdesk.test",
      role: "SUPPORT",
    });
  });

  it("ends after 30 idle minutes; activity (written at most once a minute) keeps it open", async () => {
    const session = await open();
    expect(await validateOperatorSession(database.prisma, session.id, at(29), settings)).not.toBeNull();
    // The request at 29 min moved lastSeenAt; one 20 s later does not write again.
    await validateOperatorSession(database.prisma, session.id, new Date(at(29).getTime() + 20_000), settings);
    const row = await database.prisma.operatorSession.findUniqueOrThrow({ where: { id: session.id }, select: { lastSeenAt: true } });
    expect(row.lastSeenAt.toISOString()).toBe("2026-04-01T08:29:00.000Z");
    expect(await validateOperatorSession(database.prisma, session.id, at(58), settings)).not.toBeNull();
    expect(await validateOperatorSession(database.prisma, session.id, at(88), settings)).toBeNull();
  });

  it("ends at the absolute lifetime however active it is", async () => {
    const session = await open();
    for (let minute = 20; minute < 8 * 60; minute += 20) {
      expect(await validateOperatorSession(database.prisma, session.id, at(minute), settings), `minute ${minute}`).not.toBeNull();
    }
    expect(await validateOperatorSession(database.prisma, session.id, at(8 * 60), settings)).toBeNull();
  });

  it("sign-out revokes one session once; the others stay", async () => {
    const first = await open();
    const second = await open();
    expect(await revokeOperatorSession(database.prisma, first.id, "sign_out", at(5))).toMatchObject({ id: operatorId });
    expect(await revokeOperatorSession(database.prisma, first.id, "sign_out", at(6))).toBeNull();
    expect(await validateOperatorSession(database.prisma, first.id, at(7), settings)).toBeNull();
    expect(await validateOperatorSession(database.prisma, second.id, at(7), settings)).not.toBeNull();
    const row = await database.prisma.operatorSession.findUniqueOrThrow({ where: { id: first.id }, select: { revokeReason: true, revokedAt: true } });
    expect(row).toEqual({ revokeReason: "sign_out", revokedAt: at(5) });
  });

  it("an unknown session id is not valid", async () => {
    expect(await validateOperatorSession(database.prisma, "forged-session-id", t0, settings)).toBeNull();
  });

  it("disabling the operator ends every session, and re-enabling does not bring them back", async () => {
    const session = await open(new Date());
    await setOperatorDisabled(operatorId, true);
    expect(await validateOperatorSession(database.prisma, session.id, new Date(), settings)).toBeNull();
    await setOperatorDisabled(operatorId, false);
    expect(await validateOperatorSession(database.prisma, session.id, new Date(), settings)).toBeNull();
    const row = await database.prisma.operatorSession.findUniqueOrThrow({ where: { id: session.id }, select: { revokeReason: true } });
    expect(row.revokeReason).toBe("operator_disabled");
  });

  it("a role change ends every session", async () => {
    const session = await open(new Date());
    await setOperatorRole(operatorId, "AUDITOR");
    expect(await validateOperatorSession(database.prisma, session.id, new Date(), settings)).toBeNull();
    const row = await database.prisma.operatorSession.findUniqueOrThrow({ where: { id: session.id }, select: { revokeReason: true } });
    expect(row.revokeReason).toBe("role_changed");
  });

  it("revokeOperatorSessions (used for an MFA reset) ends only that operator's open sessions", async () => {
    const other = await database.prisma.operator.create({
      data: { email: "other@passdesk.test", name: "Other", role: "ADMIN", passwordHash: "x" },
      select: { id: true },
    });
    const mine = await open(new Date());
    const theirs = await createOperatorSession(database.prisma, { operatorId: other.id, ip: null, userAgent: null, now: new Date(), settings });
    expect(await revokeOperatorSessions(database.prisma, operatorId, "mfa_reset", new Date())).toBe(1);
    expect(await validateOperatorSession(database.prisma, mine.id, new Date(), settings)).toBeNull();
    expect(await validateOperatorSession(database.prisma, theirs.id, new Date(), settings)).not.toBeNull();
  });

  it("prunes sessions that ended more than a week ago when a new one opens", async () => {
    const old = await open(new Date("2026-01-01T08:00:00.000Z"));
    await open(new Date("2026-01-09T08:00:00.000Z"));
    expect(await database.prisma.operatorSession.count({ where: { id: old.id } })).toBe(0);
  });
});
