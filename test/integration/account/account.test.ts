import { describe, expect, it } from "vitest";
import { adminUnblockAccount, blockAccount } from "@/lib/account/block";
import { resetMfa } from "@/lib/account/reset-mfa";
import { signOutAccount } from "@/lib/account/sign-out";
import { unblockAccount } from "@/lib/account/unblock";
import { resendVerificationEmail } from "@/lib/account/verification-email";
import { listAuthenticationMethods } from "@/lib/auth0";
import { createTestDatabase } from "@/lib/db/test-database";
import { DATABASE_CONNECTION, emailsAt, newKey, setUpHarness, type Harness } from "../passwords/harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * The account operations against the real local tenant and a fresh PGlite: each one's effect at
 * the tenant, its audit rows, fail-closed audit, and idempotency.
 */
const h = setUpHarness();
const uniqueEmail = emailsAt("account.passdesk.test");
const PASSWORD = "Account-Start-1!";
const WRONG = "Wrong-Password-0!";

async function auditRows(userId: string) {
  return h.database.prisma.auditEvent.findMany({
    where: { targetUserId: userId },
    orderBy: { sequence: "asc" },
    select: { action: true, outcome: true, reason: true, details: true, actorEmail: true, targetConnection: true },
  });
}

/** Management API writes the tenant has seen (requests other than reads and token grants). */
async function writes(harness: Harness): Promise<number> {
  const { requests } = await harness.stats();
  return Object.entries(requests)
    .filter(([name]) => /^(DELETE|PATCH|POST) \/api\/v2\//.test(name))
    .reduce((sum, [, count]) => sum + count, 0);
}

async function lockedUser(): Promise<{ id: string; email: string }> {
  const email = uniqueEmail("locked");
  const id = await h.createUser(email, PASSWORD);
  for (let i = 0; i < 10; i++) expect(await h.canSignIn(email, WRONG)).toBe(false);
  expect(await h.canSignIn(email, PASSWORD)).toBe(false);
  return { id, email };
}

/** A seeded database user with at least `count` enrolled MFA methods. */
async function userWithMethods(count: number, skip: ReadonlySet<string> = new Set()): Promise<string> {
  const page = await h.api.run("test.list", (client) =>
    client.users.list({ q: `identities.connection:"${DATABASE_CONNECTION}"`, search_engine: "v3", per_page: 100 }),
  );
  for (const user of page.data as { user_id: string }[]) {
    if (skip.has(user.user_id)) continue;
    const methods = await listAuthenticationMethods(user.user_id, h.api);
    if ((methods?.length ?? 0) >= count) return user.user_id;
  }
  throw new Error(`no seeded user with ${count} MFA methods`);
}

const context = () => ({ operator: h.operator, meta: h.meta });

describe("unblock a brute-force lock", () => {
  it("lifts the lock at the tenant, audits pending + succeeded with the count, and the right password works again", async () => {
    const { id, email } = await lockedUser();
    const result = await unblockAccount(h.deps, { userId: id, reason: "INC-7001 caller verified", idempotencyKey: newKey() }, context());
    expect(result).toEqual({ ok: true, data: { userName: "Test Person", blocksLifted: 1, isAuditComplete: true } });
    expect(await h.canSignIn(email, PASSWORD)).toBe(true);
    const rows = await auditRows(id);
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([
      ["account.unblock", "PENDING"],
      ["account.unblock", "SUCCEEDED"],
    ]);
    expect(rows[0]).toMatchObject({
      reason: "INC-7001 caller verified",
      actorEmail: "support@passdesk.test",
      targetConnection: DATABASE_CONNECTION,
    });
    expect(rows[1]?.details).toMatchObject({ blocksLifted: 1, httpStatus: 204 });
  });

  it("sends nothing for a user without a lock", async () => {
    const id = await h.createUser(uniqueEmail("free"), PASSWORD);
    const before = await writes(h);
    expect(await unblockAccount(h.deps, { userId: id, reason: "INC-7002", idempotencyKey: newKey() }, context())).toEqual({
      ok: false,
      failure: { code: "no_change", state: "not_locked" },
    });
    expect(await writes(h)).toBe(before);
    expect(await auditRows(id)).toEqual([]);
  });

  it("replays a double submission without a second DELETE", async () => {
    const { id } = await lockedUser();
    const input = { userId: id, reason: "INC-7003", idempotencyKey: newKey() };
    const first = await unblockAccount(h.deps, input, context());
    const before = await writes(h);
    const second = await unblockAccount(h.deps, input, context());
    expect(second).toEqual(first);
    expect(await writes(h)).toBe(before);
    expect((await auditRows(id)).length).toBe(2);
    // The same key for another reason is a mismatch, never a replay.
    expect(await unblockAccount(h.deps, { ...input, reason: "INC-7003 other" }, context())).toEqual({
      ok: false,
      failure: { code: "key_mismatch" },
    });
  });

  it("is fail-closed: no pending audit event, no DELETE, the lock stays", async () => {
    const { id, email } = await lockedUser();
    const broken = await createTestDatabase();
    const operator = await broken.prisma.operator.create({
      data: { email: "support3@passdesk.test", name: "Support 3", role: "SUPPORT", passwordHash: "x" },
      select: identitySelect,
    }).then(toOperatorIdentity);
    await broken.prisma.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
    const before = await writes(h);
    const result = await unblockAccount(
      { ...h.deps, db: broken.prisma },
      { userId: id, reason: "INC-7004", idempotencyKey: newKey() },
      { operator, meta: h.meta },
    );
    expect(result).toEqual({ ok: false, failure: { code: "audit_unavailable" } });
    expect(await writes(h)).toBe(before);
    expect(await h.canSignIn(email, PASSWORD)).toBe(false);
    await broken.close();
  });

  it("answers not_found for an unknown user", async () => {
    expect(
      await unblockAccount(h.deps, { userId: "auth0|000000000000000000000000", reason: "INC-7005", idempotencyKey: newKey() }, context()),
    ).toEqual({ ok: false, failure: { code: "not_found" } });
  });
});

describe("admin block and unblock", () => {
  it("blocks (sign-in refused), refuses a second block, then unblocks (sign-in works), all audited", async () => {
    const email = uniqueEmail("block");
    const id = await h.createUser(email, PASSWORD);
    expect(await blockAccount(h.deps, { userId: id, reason: "INC-7101 takeover", idempotencyKey: newKey() }, context())).toEqual({
      ok: true,
      data: { userName: "Test Person", blocked: true, isAuditComplete: true },
    });
    expect(await h.canSignIn(email, PASSWORD)).toBe(false);
    expect(await blockAccount(h.deps, { userId: id, reason: "INC-7102", idempotencyKey: newKey() }, context())).toEqual({
      ok: false,
      failure: { code: "no_change", state: "already_blocked" },
    });
    expect(
      await adminUnblockAccount(h.deps, { userId: id, reason: "INC-7103 resolved", idempotencyKey: newKey() }, context()),
    ).toEqual({ ok: true, data: { userName: "Test Person", blocked: false, isAuditComplete: true } });
    expect(await h.canSignIn(email, PASSWORD)).toBe(true);
    expect((await auditRows(id)).map((row) => [row.action, row.outcome, row.reason])).toEqual([
      ["account.block", "PENDING", "INC-7101 takeover"],
      ["account.block", "SUCCEEDED", null],
      ["account.admin_unblock", "PENDING", "INC-7103 resolved"],
      ["account.admin_unblock", "SUCCEEDED", null],
    ]);
  });
});

describe("sign out everywhere", () => {
  it("revokes refresh tokens and sessions, returns and audits the counts; the refresh grant then fails", async () => {
    const email = uniqueEmail("signout");
    const id = await h.createUser(email, PASSWORD);
    const login = async (scope: string) =>
      (await (
        await h.fetch(`${h.tenant.url}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            grant_type: "http://auth0.com/oauth/grant-type/password-realm",
            client_id: "passdesk-demo-reset-app",
            username: email,
            password: PASSWORD,
            realm: DATABASE_CONNECTION,
            scope,
          }),
        })
      ).json()) as { refresh_token?: string };
    const first = await login("openid offline_access");
    await login("openid offline_access");
    await login("openid");
    const refresh = async () =>
      (
        await h.fetch(`${h.tenant.url}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ grant_type: "refresh_token", client_id: "passdesk-demo-reset-app", refresh_token: first.refresh_token }),
        })
      ).status;
    expect(await refresh()).toBe(200);

    const result = await signOutAccount(h.deps, { userId: id, reason: "INC-7201 takeover", idempotencyKey: newKey() }, context());
    expect(result).toEqual({
      ok: true,
      data: { userName: "Test Person", sessionsEnded: 3, refreshTokensRevoked: 2, isAuditComplete: true },
    });
    expect(await refresh()).toBe(403);
    const rows = await auditRows(id);
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([
      ["sessions.revoke", "PENDING"],
      ["sessions.revoke", "SUCCEEDED"],
    ]);
    expect(rows[1]?.details).toMatchObject({ sessionsEnded: 3, refreshTokensRevoked: 2 });
  });
});

describe("resend verification email", () => {
  it("queues the job for an unverified user (outbox grows) and refuses a verified one without a call", async () => {
    const email = uniqueEmail("verify");
    const created = await h.api.run("test.create_unverified", (client) =>
      client.users.create({ connection: DATABASE_CONNECTION, email, password: PASSWORD, email_verified: false, name: "Test Person" }),
    );
    const id = (created as { user_id: string }).user_id;
    const before = await h.stats();
    const result = await resendVerificationEmail(h.deps, { userId: id, reason: "INC-7301", idempotencyKey: newKey() }, context());
    expect(result).toMatchObject({ ok: true, data: { jobId: expect.stringMatching(/^job_/), isAuditComplete: true } });
    expect((await h.stats()).requests["POST /api/v2/jobs/verification-email"]).toBe(
      (before.requests["POST /api/v2/jobs/verification-email"] ?? 0) + 1,
    );
    expect((await auditRows(id)).map((row) => [row.action, row.outcome])).toEqual([
      ["email.verification_sent", "PENDING"],
      ["email.verification_sent", "SUCCEEDED"],
    ]);

    const verified = await h.createUser(uniqueEmail("verified"), PASSWORD);
    const writesBefore = await writes(h);
    expect(
      await resendVerificationEmail(h.deps, { userId: verified, reason: "INC-7302", idempotencyKey: newKey() }, context()),
    ).toEqual({ ok: false, failure: { code: "no_change", state: "already_verified" } });
    expect(await writes(h)).toBe(writesBefore);
  });
});

describe("reset MFA", () => {
  it("removes one method, then all; refuses an unknown method id; audits each", async () => {
    const id = await userWithMethods(2);
    const methods = (await listAuthenticationMethods(id, h.api)) ?? [];
    const [first] = methods;
    const one = await resetMfa(h.deps, { userId: id, reason: "INC-7401 lost phone", idempotencyKey: newKey(), methodId: first?.id }, context());
    expect(one).toMatchObject({ ok: true, data: { methodsRemoved: 1, methodType: first?.type, isAuditComplete: true } });
    const left = (await listAuthenticationMethods(id, h.api)) ?? [];
    expect(left.map((m) => m.id)).not.toContain(first?.id);
    expect(
      await resetMfa(h.deps, { userId: id, reason: "INC-7402", idempotencyKey: newKey(), methodId: first?.id }, context()),
    ).toEqual({ ok: false, failure: { code: "method_not_found" } });
    const all = await resetMfa(h.deps, { userId: id, reason: "INC-7403 lost everything", idempotencyKey: newKey() }, context());
    expect(all).toMatchObject({ ok: true, data: { methodsRemoved: left.length, methodType: null } });
    expect(await listAuthenticationMethods(id, h.api)).toEqual([]);
    expect(await resetMfa(h.deps, { userId: id, reason: "INC-7404", idempotencyKey: newKey() }, context())).toEqual({
      ok: false,
      failure: { code: "no_change", state: "no_methods" },
    });
    const rows = await auditRows(id);
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([
      ["mfa.reset", "PENDING"],
      ["mfa.reset", "SUCCEEDED"],
      ["mfa.reset", "PENDING"],
      ["mfa.reset", "SUCCEEDED"],
    ]);
    expect(rows[0]?.details).toMatchObject({ mfaScope: "one", methodId: first?.id, methodType: first?.type });
    expect(rows[2]?.details).toMatchObject({ mfaScope: "all", methodsRemoved: left.length });
  });
});
