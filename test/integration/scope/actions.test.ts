// First: stubs the framework edges before any app module loads (see the helper).
import { edges } from "../support/app-edges";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { Prisma } from "@/lib/generated/prisma/client";
import { resetOperatorRateLimits } from "@/lib/http/operator-rate-limit";
import { type Harness, insertOperator, newKey, startHarness } from "../passwords/harness";

/**
 * Scoped operators (issue 16) on the action paths: every action on an Auth0 user re-checks the
 * target against the operator's scope as it is in the database at that moment, from a fresh read
 * at Auth0. Out of scope answers exactly what a missing user gets, and nothing reaches Auth0:
 * no Management API write, no email in the tenant's outbox, the user unchanged, no pending audit
 * event. Real tenant, real database; only the framework edges are stubbed (see app-edges).
 */
vi.hoisted(() => {
  process.env.LOG_LEVEL = "silent";
});
edges.requestId = "req-scope-actions";

const passwords = await import("@/lib/actions/passwords");
const account = await import("@/lib/actions/account");

const EU_FILTER = { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' };
const START_PASSWORD = "Start-Password-1!";
/** What every action answers for a user id Auth0 does not know. */
const NOT_FOUND = { ok: false, code: "not_found", error: "dangerZone.errors.notFound" } as const;
const MISSING_USER = "auth0|000000000000000000000000";

let h: Harness;
let euSupport: OperatorIdentity;
let euAdmin: OperatorIdentity;
let acmeSupport: OperatorIdentity;
let acmeId: string;

/** Requests that change something at the tenant (not the M2M token, not the control API). */
async function tenantWrites(): Promise<Record<string, number>> {
  const { requests } = await h.stats();
  return Object.fromEntries(
    Object.entries(requests).filter(
      ([name]) => /^(DELETE|PATCH|POST|PUT) /.test(name) && !name.includes("/oauth/token") && !name.includes("__control"),
    ),
  );
}

async function outboxSize(): Promise<number> {
  return ((await (await h.control("GET", "/stats")).json()) as { outbox: number }).outbox;
}

let counter = 0;
/** A fresh unverified database user in `region`, with the start password. */
async function createUser(region: "eu" | "us"): Promise<{ userId: string; email: string }> {
  counter += 1;
  const email = `scope-${region}-${counter}-${Date.now().toString(36)}@scope.passdesk.test`;
  const created = await h.api.run("test.create_user", (client) =>
    client.users.create({
      connection: "Username-Password-Authentication",
      email,
      password: START_PASSWORD,
      email_verified: false,
      name: "Scope Person",
      app_metadata: { region },
    }),
  );
  return { userId: (created as { user_id: string }).user_id, email };
}

async function userState(userId: string) {
  const user = (await h.api.run("test.get_user", (client) => client.users.get(userId))) as {
    blocked?: boolean;
    last_password_reset?: string;
    email_verified?: boolean;
  };
  return { blocked: user.blocked ?? false, lastPasswordReset: user.last_password_reset ?? null, emailVerified: user.email_verified };
}

function createOperator(email: string, role: "SUPPORT" | "ADMIN", scope: Prisma.InputJsonValue | null): Promise<OperatorIdentity> {
  return insertOperator(h.database.prisma, { email, role, scope });
}

const base = (userId: string) => ({ userId, reason: "INC-9016 scoped desk", idempotencyKey: newKey() });

/** Every action support can post for a user, as the browser would post it. */
function supportActions(userId: string) {
  return {
    setPassword: () => passwords.setPasswordAction({ ...base(userId), password: "Scoped-Fixed-9!x", signOutEverywhere: false }),
    resetEmail: () => passwords.sendResetEmailAction(base(userId)),
    ticket: () => passwords.createResetTicketAction({ ...base(userId), ttlSec: 3600 }),
    unblock: () => account.unblockAccountAction(base(userId)),
    adminUnblock: () => account.adminUnblockAccountAction(base(userId)),
    signOut: () => account.signOutEverywhereAction(base(userId)),
    verification: () => account.resendVerificationEmailAction(base(userId)),
    resetMfa: () => account.resetMfaAction(base(userId)),
    listMfa: () => account.listMfaMethodsAction({ userId }),
  };
}

async function runAll(actions: Record<string, () => Promise<unknown>>): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(actions)) results[name] = await run();
  return results;
}

async function auditRowsFor(userId: string) {
  const rows = await h.database.prisma.auditEvent.findMany({
    where: { targetUserId: userId },
    orderBy: { sequence: "asc" },
    select: { action: true, outcome: true, actorEmail: true, relatedSequence: true, details: true },
  });
  return rows.map((row) => ({
    action: row.action,
    outcome: row.outcome,
    actorEmail: row.actorEmail,
    related: row.relatedSequence !== null,
    errorCode: (row.details as Record<string, unknown> | null)?.["errorCode"] ?? null,
  }));
}

beforeAll(async () => {
  h = await startHarness();
  edges.dangerZoneDeps = h.deps;
  edges.prisma = h.database.prisma;
  const organizations = (await h.api.run("test.orgs", (client) => client.organizations.list())) as unknown as {
    data: { id: string; name: string }[];
  };
  acmeId = organizations.data.find((org) => org.name === "acme")?.id ?? "";
  expect(acmeId).toMatch(/^org_/);
  euSupport = await createOperator("eu-support@scope.passdesk.test", "SUPPORT", EU_FILTER);
  euAdmin = await createOperator("eu-admin@scope.passdesk.test", "ADMIN", EU_FILTER);
  acmeSupport = await createOperator("acme-support@scope.passdesk.test", "SUPPORT", {
    connections: [],
    organizations: [acmeId],
    filter: null,
  });
});

afterAll(async () => {
  await h?.close();
});

beforeEach(() => {
  resetOperatorRateLimits();
});

describe("an EU-scoped operator", () => {
  it("gets exactly the missing-user answer for every action on a US user, and nothing reaches Auth0", async () => {
    const us = await createUser("us");
    const stateBefore = await userState(us.userId);
    const writesBefore = await tenantWrites();
    const outboxBefore = await outboxSize();

    edges.operator = euSupport;
    const refused = await runAll(supportActions(us.userId));
    edges.operator = euAdmin;
    refused["block"] = await account.blockAccountAction(base(us.userId));

    expect(refused).toEqual({
      setPassword: NOT_FOUND,
      resetEmail: NOT_FOUND,
      ticket: NOT_FOUND,
      unblock: NOT_FOUND,
      adminUnblock: NOT_FOUND,
      signOut: NOT_FOUND,
      verification: NOT_FOUND,
      resetMfa: NOT_FOUND,
      listMfa: NOT_FOUND,
      block: NOT_FOUND,
    });
    // The same answers as for a user id Auth0 does not know at all.
    edges.operator = euSupport;
    const missing = await runAll(supportActions(MISSING_USER));
    edges.operator = euAdmin;
    missing["block"] = await account.blockAccountAction(base(MISSING_USER));
    expect(missing).toEqual(refused);

    expect(await tenantWrites()).toEqual(writesBefore);
    expect(await outboxSize()).toBe(outboxBefore);
    expect(await userState(us.userId)).toEqual(stateBefore);
    expect(await h.canSignIn(us.email, START_PASSWORD)).toBe(true);
    expect(await h.canSignIn(us.email, "Scoped-Fixed-9!x")).toBe(false);
    // No pending event (nothing was about to go to Auth0); each refused write attempt is one
    // single FAILED event `out_of_scope` for the security review (lists are reads: none).
    const refusedEvent = (action: string, actorEmail: string) => ({
      action,
      outcome: "FAILED",
      actorEmail,
      related: false,
      errorCode: "out_of_scope",
    });
    expect(await auditRowsFor(us.userId)).toEqual([
      refusedEvent("password.set", "eu-support@scope.passdesk.test"),
      refusedEvent("password.reset_email", "eu-support@scope.passdesk.test"),
      refusedEvent("password.ticket", "eu-support@scope.passdesk.test"),
      refusedEvent("account.unblock", "eu-support@scope.passdesk.test"),
      refusedEvent("account.admin_unblock", "eu-support@scope.passdesk.test"),
      refusedEvent("sessions.revoke", "eu-support@scope.passdesk.test"),
      refusedEvent("email.verification_sent", "eu-support@scope.passdesk.test"),
      refusedEvent("mfa.reset", "eu-support@scope.passdesk.test"),
      refusedEvent("account.block", "eu-admin@scope.passdesk.test"),
    ]);
  });

  it("runs the same actions on an EU user as support runs them today", async () => {
    const eu = await createUser("eu");
    const outboxBefore = await outboxSize();
    edges.operator = euSupport;
    const results = await runAll(supportActions(eu.userId));
    expect(results).toMatchObject({
      setPassword: { ok: true, data: { connection: "Username-Password-Authentication", signOut: null } },
      resetEmail: { ok: true, data: { connection: "Username-Password-Authentication" } },
      ticket: { ok: true, data: { ttlSec: 3600, connection: "Username-Password-Authentication" } },
      unblock: { ok: false, code: "conflict", error: "account.errors.noChange.not_locked" },
      adminUnblock: { ok: false, code: "conflict", error: "account.errors.noChange.not_blocked" },
      signOut: { ok: true, data: { sessionsEnded: 0, refreshTokensRevoked: 0 } },
      verification: { ok: true },
      resetMfa: { ok: false, code: "conflict", error: "account.errors.noChange.no_methods" },
      listMfa: { ok: true, data: { methods: [] } },
    });
    // The reset email and the verification email.
    expect(await outboxSize()).toBe(outboxBefore + 2);
    expect(await h.canSignIn(eu.email, "Scoped-Fixed-9!x")).toBe(true);
    edges.operator = euAdmin;
    expect(await account.blockAccountAction(base(eu.userId))).toMatchObject({ ok: true, data: { blocked: true } });
    expect((await userState(eu.userId)).blocked).toBe(true);
  });

  it("is refused when the scope changes to exclude the user between page load and action", async () => {
    const us = await createUser("us");
    const deskOperator = await createOperator(`desk-${Date.now().toString(36)}@scope.passdesk.test`, "SUPPORT", null);
    edges.operator = deskOperator;
    // The page loaded while the operator had the whole tenant: the MFA list (a read) answered.
    expect(await account.listMfaMethodsAction({ userId: us.userId })).toEqual({ ok: true, data: { methods: [] } });
    // An admin scopes the desk to EU; the already open dialog then posts.
    await h.database.prisma.operator.update({ where: { id: deskOperator.id }, data: { scope: EU_FILTER } });
    const writesBefore = await tenantWrites();
    const outboxBefore = await outboxSize();
    expect(await passwords.sendResetEmailAction(base(us.userId))).toEqual(NOT_FOUND);
    expect(await account.signOutEverywhereAction(base(us.userId))).toEqual(NOT_FOUND);
    expect(await tenantWrites()).toEqual(writesBefore);
    expect(await outboxSize()).toBe(outboxBefore);
    // Back to the whole tenant (no scope: a database NULL): the same user can be helped again.
    await h.database.prisma.operator.update({ where: { id: deskOperator.id }, data: { scope: Prisma.DbNull } });
    expect(await passwords.sendResetEmailAction(base(us.userId))).toMatchObject({ ok: true });
    expect(await outboxSize()).toBe(outboxBefore + 1);
  });

  it("with a stored scope that does not parse, acts on nobody (fail-closed)", async () => {
    const eu = await createUser("eu");
    edges.operator = await createOperator(`broken-${Date.now().toString(36)}@scope.passdesk.test`, "SUPPORT", {
      filter: 42,
    });
    const writesBefore = await tenantWrites();
    expect(await passwords.sendResetEmailAction(base(eu.userId))).toEqual(NOT_FOUND);
    expect(await account.signOutEverywhereAction(base(eu.userId))).toEqual(NOT_FOUND);
    expect(await tenantWrites()).toEqual(writesBefore);
  });

  it("a replayed idempotency key does not hand back a result once the user left the scope", async () => {
    const us = await createUser("us");
    const deskOperator = await createOperator(`replay-${Date.now().toString(36)}@scope.passdesk.test`, "SUPPORT", null);
    edges.operator = deskOperator;
    const input = base(us.userId);
    expect(await passwords.sendResetEmailAction(input)).toMatchObject({ ok: true });
    await h.database.prisma.operator.update({ where: { id: deskOperator.id }, data: { scope: EU_FILTER } });
    expect(await passwords.sendResetEmailAction(input)).toEqual(NOT_FOUND);
  });
});

describe("an organization-scoped operator", () => {
  it("acts on acme's members only, checked at Auth0 at the moment of the action", async () => {
    const user = await createUser("eu");
    edges.operator = acmeSupport;
    const writesBefore = await tenantWrites();
    const outboxBefore = await outboxSize();
    expect(await passwords.sendResetEmailAction(base(user.userId))).toEqual(NOT_FOUND);
    expect(await account.resendVerificationEmailAction(base(user.userId))).toEqual(NOT_FOUND);
    expect(await tenantWrites()).toEqual(writesBefore);
    expect(await outboxSize()).toBe(outboxBefore);
    // The user joins acme at Auth0: the next action finds them in scope (no stale member list).
    await h.api.run("test.add_member", (client) => client.organizations.members.create(acmeId, { members: [user.userId] }));
    expect(await passwords.sendResetEmailAction(base(user.userId))).toMatchObject({ ok: true });
    expect(await account.resendVerificationEmailAction(base(user.userId))).toMatchObject({ ok: true });
    expect(await outboxSize()).toBe(outboxBefore + 2);
  });
});
