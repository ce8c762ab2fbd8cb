// First: stubs the framework edges before any app module loads (see the helper).
import { edges } from "../support/app-edges";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createManagementApi, type ManagementApi } from "@/lib/auth0";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { resetOperatorRateLimits } from "@/lib/http/operator-rate-limit";
import { newKey, startHarness, type Harness } from "../passwords/harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * The account server actions below the HTTP layer: the permission table, validation, the
 * localized failures (a missing scope is named) and the set-password "sign out everywhere"
 * option. Only the framework edges are stubbed (see app-edges).
 */
vi.hoisted(() => {
  process.env.LOG_LEVEL = "silent";
});
edges.requestId = "req-account-actions";

const account = await import("@/lib/actions/account");
const { setPasswordAction } = await import("@/lib/actions/passwords");

let h: Harness;
let readonlyApi: ManagementApi;
let support: OperatorIdentity;
let auditor: OperatorIdentity;
let admin: OperatorIdentity;

async function writes(): Promise<number> {
  const { requests } = await h.stats();
  return Object.entries(requests)
    .filter(([name]) => /^(DELETE|PATCH|POST) \/api\/v2\//.test(name))
    .reduce((sum, [, count]) => sum + count, 0);
}

beforeAll(async () => {
  h = await startHarness();
  edges.dangerZoneDeps = h.deps;
  edges.prisma = h.database.prisma;
  support = h.operator;
  const create = (email: string, role: "AUDITOR" | "ADMIN") =>
    h.database.prisma.operator.create({
      data: { email, name: role, role, passwordHash: "x" },
      select: identitySelect,
    }).then(toOperatorIdentity);
  auditor = await create("auditor@account.passdesk.test", "AUDITOR");
  admin = await create("admin@account.passdesk.test", "ADMIN");
  readonlyApi = createManagementApi({
    domain: h.tenant.domain,
    clientId: "passdesk-demo-readonly",
    clientSecret: "passdesk-demo-readonly-secret",
    caPem: h.tenant.caPem,
    timeoutMs: 10_000,
  });
});

afterAll(async () => {
  await readonlyApi?.close();
  await h?.close();
});

const base = (userId: string) => ({ userId, reason: "INC-8001 verified", idempotencyKey: newKey() });

describe("account actions and the permission table", () => {
  it("refuses support's block and every account action of an auditor, sending nothing", async () => {
    resetOperatorRateLimits();
    const userId = await h.createUser(`perm-${Date.now().toString(36)}@account.passdesk.test`, "Start-Password-1!");
    const before = await writes();
    edges.operator = support;
    expect(await account.blockAccountAction(base(userId))).toMatchObject({ ok: false, code: "forbidden" });
    edges.operator = auditor;
    for (const run of [
      account.unblockAccountAction,
      account.blockAccountAction,
      account.adminUnblockAccountAction,
      account.signOutEverywhereAction,
      account.resendVerificationEmailAction,
      account.resetMfaAction,
    ])
      expect(await run(base(userId))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await account.listMfaMethodsAction({ userId })).toMatchObject({ ok: false, code: "forbidden" });
    edges.operator = null;
    expect(await account.signOutEverywhereAction(base(userId))).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await writes()).toBe(before);
  });

  it("lets an admin block and support lift the block; validates on the server", async () => {
    const email = `blk-${Date.now().toString(36)}@account.passdesk.test`;
    const userId = await h.createUser(email, "Start-Password-1!");
    edges.operator = admin;
    expect(await account.blockAccountAction({ ...base(userId), reason: "no" })).toMatchObject({
      ok: false,
      code: "invalid",
      fieldErrors: { reason: ["reason_too_short"] },
    });
    expect(await account.blockAccountAction(base(userId))).toMatchObject({ ok: true, data: { blocked: true } });
    expect(await h.canSignIn(email, "Start-Password-1!")).toBe(false);
    edges.operator = support;
    expect(await account.blockAccountAction(base(userId))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await account.adminUnblockAccountAction(base(userId))).toMatchObject({ ok: true, data: { blocked: false } });
    expect(await account.adminUnblockAccountAction(base(userId))).toEqual({
      ok: false,
      code: "conflict",
      error: "account.errors.noChange.not_blocked",
    });
    expect(await h.canSignIn(email, "Start-Password-1!")).toBe(true);
  });

  it("names the missing scope when Auth0 answers 403 insufficient_scope, and audits the failure", async () => {
    const userId = await h.createUser(`scope-${Date.now().toString(36)}@account.passdesk.test`, "Start-Password-1!");
    edges.dangerZoneDeps = { ...h.deps, api: readonlyApi };
    edges.operator = support;
    try {
      const result = await account.signOutEverywhereAction(base(userId));
      expect(result).toMatchObject({ ok: false, code: "upstream", error: "account.errors.missingScope" });
      expect([["read:sessions"], ["read:refresh_tokens"]]).toContainEqual(
        (result as { missingScopes?: string[] }).missingScopes,
      );
      expect(await account.listMfaMethodsAction({ userId })).toMatchObject({
        ok: false,
        missingScopes: ["read:authentication_methods"],
      });
    } finally {
      edges.dangerZoneDeps = h.deps;
    }
    const rows = await h.database.prisma.auditEvent.findMany({
      where: { targetUserId: userId },
      orderBy: { sequence: "asc" },
      select: { action: true, outcome: true, details: true },
    });
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([
      ["sessions.revoke", "PENDING"],
      ["sessions.revoke", "FAILED"],
    ]);
    expect(rows[1]?.details).toMatchObject({ httpStatus: 403, errorCode: "missing_scope" });
  });

  it("signs the user out everywhere after a password set when asked, returning and auditing the counts", async () => {
    const email = `setso-${Date.now().toString(36)}@account.passdesk.test`;
    const userId = await h.createUser(email, "Start-Password-1!");
    const token = (body: Record<string, string>) =>
      h.fetch(`${h.tenant.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: "passdesk-demo-reset-app", ...body }),
      });
    const login = await token({
      grant_type: "http://auth0.com/oauth/grant-type/password-realm",
      username: email,
      password: "Start-Password-1!",
      realm: "Username-Password-Authentication",
      scope: "openid offline_access",
    });
    const refreshToken = ((await login.json()) as { refresh_token: string }).refresh_token;
    edges.operator = support;
    const result = await setPasswordAction({
      ...base(userId),
      password: "Takeover-Fixed-9!",
      signOutEverywhere: true,
    });
    expect(result).toMatchObject({
      ok: true,
      data: { isAuditComplete: true, signOut: { ok: true, refreshTokensRevoked: 1 } },
    });
    // The intruder's refresh token is dead (the password change alone ends only sessions).
    expect((await token({ grant_type: "refresh_token", refresh_token: refreshToken })).status).toBe(403);
    const rows = await h.database.prisma.auditEvent.findMany({
      where: { targetUserId: userId },
      orderBy: { sequence: "asc" },
      select: { action: true, outcome: true, details: true, reason: true },
    });
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([
      ["password.set", "PENDING"],
      ["password.set", "SUCCEEDED"],
      ["sessions.revoke", "PENDING"],
      ["sessions.revoke", "SUCCEEDED"],
    ]);
    expect(rows[0]?.details).toMatchObject({ signOutEverywhere: true });
    expect(rows[2]?.reason).toBe("INC-8001 verified");
    expect(rows[3]?.details).toMatchObject({ refreshTokensRevoked: 1 });

    // Without the option nothing but the password changes.
    const plain = await setPasswordAction({ ...base(userId), password: "Second-Fixed-9!" });
    expect(plain).toMatchObject({ ok: true, data: { signOut: null } });
  });
});
