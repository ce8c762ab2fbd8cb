import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { custom, generators, Issuer, TokenSet, type Client as OidcClient } from "openid-client";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as Database from "@/lib/db";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { OidcSettings } from "@/lib/env";

/**
 * Issue 15 item 1 against a real database and the real local tenant as the IdP: matching and
 * role mapping (signInWithOidc, with the audit rows it writes), LOCAL_SIGN_IN=false refusing the
 * password form's provider, and the ID-token checks of the relying party next-auth builds from
 * our provider settings (openid-client, CA from OIDC_CA_FILE): a wrong nonce, audience, issuer
 * or signing key is refused.
 */
const state = vi.hoisted(() => ({ database: null as TestDatabase | null }));
vi.mock("@/lib/db", async (importOriginal) => ({
  ...(await importOriginal<typeof Database>()),
  getPrisma: async () => {
    if (!state.database) throw new Error("test database not ready");
    return state.database.prisma;
  },
}));

type RunningTenant = { url: string; domain: string; caFile: string; caPem: string; close(): Promise<void> };
type KeysModule = {
  SigningKeys: { load(dir: string): Promise<{ sign(claims: Record<string, unknown>): Promise<string> }> };
};

const dataDir = mkdtempSync(path.join(os.tmpdir(), "passdesk-oidc-it-"));
let tenant: RunningTenant;
let database: TestDatabase;
let agent: Agent;

// Read by getEnv() on first use (this file's module graph is its own).
process.env.NEXTAUTH_SECRET = "x".repeat(40);
process.env.LOCAL_SIGN_IN = "false";
process.env.DATA_DIR = dataDir;

const { signInWithOidc, oidcProvider, stepUpWithOidc } = await import("@/lib/auth/oidc");
const { createOperator, setOperatorDisabled } = await import("@/lib/auth/operator-admin");
const { createOperatorSession, validateOperatorSession } = await import("@/lib/auth/operator-sessions");
const { parseRoleMap } = await import("@/lib/auth/oidc-role-map");
const { parseScopeMap } = await import("@/lib/auth/oidc-scope-map");
const { createManagementApi } = await import("@/lib/auth0/client");
const { findUsersByEmail } = await import("@/lib/auth0/users");

const meta = { requestId: "req-oidc", ip: "198.51.100.7", userAgent: "vitest" };
const ISSUER = "https://idp.example/";

function settings(mapping: boolean): OidcSettings {
  return {
    issuer: ISSUER,
    wellKnown: `${ISSUER}.well-known/openid-configuration`,
    clientId: "pd",
    clientSecret: "s",
    name: "IdP",
    roleMapping: mapping ? { claim: "groups", map: parseRoleMap("admin=passdesk-admins,support=helpdesk") } : null,
    scopeMapping: null,
    caFile: undefined,
  };
}

function claims(email: string, groups: string[], verified = true) {
  return { iss: ISSUER, sub: `idp|${email}`, email, email_verified: verified, name: "Ida P", groups };
}

/** Audit rows written by the current test (the log is append-only: nothing is ever cleared). */
let since = BigInt(0);
async function auditRows() {
  return database.prisma.auditEvent.findMany({
    where: { sequence: { gt: since } },
    orderBy: { sequence: "asc" },
    select: { action: true, outcome: true, targetEmail: true, actorEmail: true, details: true },
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  state.database = database;
  const serverModule = pathToFileURL(path.resolve(import.meta.dirname, "../../../tenant/src/server.ts")).href;
  const { startTenant } = (await import(/* @vite-ignore */ serverModule)) as {
    startTenant(options: Record<string, unknown>): Promise<RunningTenant>;
  };
  tenant = await startTenant({ port: 0, dataDir, users: 20, staffDirectory: true });
  agent = new Agent({ connect: { ca: tenant.caPem } });
});
afterAll(async () => {
  await tenant?.close();
  await agent?.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  since = (await database.prisma.auditEvent.aggregate({ _max: { sequence: true } }))._max.sequence ?? BigInt(0);
});

/** The relying party next-auth builds from our provider settings, against the real tenant. */
let client: OidcClient;
const CALLBACK = "http://127.0.0.1:3999/api/auth/callback/oidc";
const fetchTenant = (url: string, init: Parameters<typeof undiciFetch>[1] = {}) =>
  undiciFetch(url, { ...init, dispatcher: agent, redirect: "manual" });

/** Signs in on the hosted login page; returns the callback URL with the code. */
async function login(authorizationUrl: string, email: string): Promise<string> {
  const page = await (await fetchTenant(authorizationUrl)).text();
  const tx = /name="tx" value="([^"]+)"/.exec(page)?.[1] ?? "";
  const done = await fetchTenant(`${tenant.url}/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ tx, username: email, password: "Passdesk-Seed-1!" }).toString(),
  });
  return done.headers.get("location") ?? "";
}

beforeAll(async () => {
  // As next-auth does (next-auth/core/lib/oauth/client.js): the provider's httpOptions, discovery, client.
  const provider = oidcProvider({
    issuer: `${tenant.url}/`,
    wellKnown: `${tenant.url}/.well-known/openid-configuration`,
    clientId: "passdesk-demo-oidc",
    clientSecret: "passdesk-demo-oidc-secret",
    name: "Demo",
    roleMapping: null,
    scopeMapping: null,
    caFile: tenant.caFile,
  });
  expect(provider.checks).toEqual(["pkce", "state", "nonce"]);
  if (provider.httpOptions) custom.setHttpOptionsDefaults(provider.httpOptions);
  const issuer = await Issuer.discover(provider.wellKnown ?? "");
  client = new issuer.Client({
    client_id: provider.clientId ?? "",
    client_secret: provider.clientSecret ?? "",
    redirect_uris: [CALLBACK],
    ...provider.client,
  });
});

/** A real code grant at the tenant's hosted login (extra authorization params allowed); the ID token's verified claims. */
async function tenantClaims(email: string, extra: Record<string, string | number> = {}): Promise<Record<string, unknown>> {
  const verifier = generators.codeVerifier();
  const nonce = generators.nonce();
  const url = client.authorizationUrl({
    scope: "openid email profile",
    redirect_uri: CALLBACK,
    code_challenge: generators.codeChallenge(verifier),
    code_challenge_method: "S256",
    state: "st",
    nonce,
    ...extra,
  });
  const params = client.callbackParams(await login(url, email));
  const tokens = await client.callback(CALLBACK, params, { code_verifier: verifier, state: "st", nonce });
  return tokens.claims() as Record<string, unknown>;
}

describe("matching and role mapping", () => {
  it("without role mapping: a verified email matches an existing operator, who keeps their role", async () => {
    await createOperator({ email: "Match@Passdesk.test", name: "Match", role: "AUDITOR", password: "irrelevant-1" });
    const result = await signInWithOidc(claims("match@passdesk.test", ["passdesk-admins"]), settings(false), meta);
    expect(result).toMatchObject({ ok: true, operator: { email: "match@passdesk.test", role: "AUDITOR" } });
    expect(await auditRows()).toEqual([
      {
        action: "operator.sign_in",
        outcome: "SUCCEEDED",
        targetEmail: "match@passdesk.test",
        actorEmail: "match@passdesk.test",
        details: { method: "oidc", issuer: ISSUER },
      },
    ]);
  });

  it("without role mapping: nobody is created", async () => {
    const result = await signInWithOidc(claims("nobody@passdesk.test", ["passdesk-admins"]), settings(false), meta);
    expect(result).toEqual({ ok: false, reason: "unknown_operator" });
    expect(await database.prisma.operator.findUnique({ where: { email: "nobody@passdesk.test" } })).toBeNull();
    expect(await auditRows()).toEqual([
      {
        action: "operator.sign_in_failed",
        outcome: "FAILED",
        targetEmail: "nobody@passdesk.test",
        actorEmail: null,
        details: { failureReason: "unknown_operator", method: "oidc", issuer: ISSUER },
      },
    ]);
  });

  it("with role mapping: a mapped newcomer is created with the role, an unmapped one is refused", async () => {
    const created = await signInWithOidc(claims("new@passdesk.test", ["helpdesk"]), settings(true), meta);
    expect(created).toMatchObject({ ok: true, operator: { email: "new@passdesk.test", role: "SUPPORT", name: "Ida P" } });
    const refused = await signInWithOidc(claims("other@passdesk.test", ["everyone"]), settings(true), meta);
    expect(refused).toEqual({ ok: false, reason: "no_role" });
    expect(
      await database.prisma.operator.findMany({
        where: { email: { in: ["new@passdesk.test", "other@passdesk.test"] } },
        select: { email: true, role: true },
      }),
    ).toEqual([{ email: "new@passdesk.test", role: "SUPPORT" }]);
    expect((await auditRows()).map((row) => [row.action, row.targetEmail, row.details])).toEqual([
      ["operator.created", "new@passdesk.test", { newRole: "SUPPORT", via: "oidc", issuer: ISSUER }],
      ["operator.sign_in", "new@passdesk.test", { method: "oidc", issuer: ISSUER }],
      ["operator.sign_in_failed", "other@passdesk.test", { failureReason: "no_role", method: "oidc", issuer: ISSUER }],
    ]);
  });

  it("with role mapping: the role follows the claim at every sign-in, ending the other sessions; no mapped group, no access", async () => {
    const operator = await createOperator({ email: "mover@passdesk.test", name: "Mover", role: "SUPPORT", password: "irrelevant-1" });
    const sessionSettings = { absoluteMs: 8 * 3_600_000, idleMs: 30 * 60_000 };
    const earlier = await createOperatorSession(database.prisma, { operatorId: operator.id, ip: null, userAgent: null, now: new Date(), settings: sessionSettings });
    const promoted = await signInWithOidc(claims("mover@passdesk.test", ["passdesk-admins", "helpdesk"]), settings(true), meta);
    expect(promoted).toMatchObject({ ok: true, operator: { role: "ADMIN" } });
    expect(await validateOperatorSession(database.prisma, earlier.id, new Date(), sessionSettings)).toBeNull();
    if (!promoted.ok) throw new Error("expected a session");
    expect(await validateOperatorSession(database.prisma, promoted.session.id, new Date(), sessionSettings)).toMatchObject({ role: "ADMIN" });
    const dropped = await signInWithOidc(claims("mover@passdesk.test", []), settings(true), meta);
    expect(dropped).toEqual({ ok: false, reason: "no_role" });
    expect((await auditRows()).map((row) => [row.action, row.details])).toEqual([
      ["operator.role_changed", { previousRole: "SUPPORT", newRole: "ADMIN", via: "oidc", issuer: ISSUER }],
      ["operator.sign_in", { method: "oidc", issuer: ISSUER }],
      ["operator.sign_in_failed", { failureReason: "no_role", method: "oidc", issuer: ISSUER }],
    ]);
  });

  it("refuses an unverified email and a disabled operator, and creates no session", async () => {
    const operator = await createOperator({ email: "gone@passdesk.test", name: "Gone", role: "ADMIN", password: "irrelevant-1" });
    await setOperatorDisabled(operator.id, true);
    expect(await signInWithOidc(claims("gone@passdesk.test", ["passdesk-admins"]), settings(true), meta)).toEqual({ ok: false, reason: "disabled" });
    expect(await signInWithOidc(claims("unverified@passdesk.test", ["helpdesk"], false), settings(true), meta)).toEqual({ ok: false, reason: "email_unverified" });
    expect(await signInWithOidc({ iss: ISSUER, sub: "x", email_verified: true }, settings(true), meta)).toEqual({ ok: false, reason: "no_email" });
    expect(await database.prisma.operatorSession.count({ where: { operatorId: operator.id } })).toBe(0);
    expect(await database.prisma.operator.findUnique({ where: { email: "unverified@passdesk.test" } })).toBeNull();
    expect((await auditRows()).map((row) => [row.action, row.targetEmail, row.details])).toEqual([
      ["operator.sign_in_failed", "gone@passdesk.test", { failureReason: "disabled", method: "oidc", issuer: ISSUER }],
      ["operator.sign_in_failed", "unverified@passdesk.test", { failureReason: "email_unverified", method: "oidc", issuer: ISSUER }],
      ["operator.sign_in_failed", "(none)", { failureReason: "no_email", method: "oidc", issuer: ISSUER }],
    ]);
  });
});

describe("scope mapping (issue 16), with the tenant's real ID tokens", () => {
  const ROLES_CLAIM = "https://passdesk.dev/roles";
  const EU_KEY = '{"connections":[],"organizations":[],"filter":"app_metadata.region:\\"eu\\""}';
  const US_KEY = '{"connections":[],"organizations":[],"filter":"app_metadata.region:\\"us\\""}';
  const scoped = (): OidcSettings => ({
    issuer: `${tenant.url}/`,
    wellKnown: `${tenant.url}/.well-known/openid-configuration`,
    clientId: "passdesk-demo-oidc",
    clientSecret: "passdesk-demo-oidc-secret",
    name: "Demo",
    roleMapping: { claim: ROLES_CLAIM, map: parseRoleMap("admin=passdesk-admins,support=helpdesk,auditor=auditors") },
    scopeMapping: {
      claim: ROLES_CLAIM,
      map: parseScopeMap('{"eu-helpdesk": {"filter": "app_metadata.region:\\"eu\\""}, "us-helpdesk": {"filter": "app_metadata.region:\\"us\\""}, "passdesk-admins": null}'),
    },
    caFile: tenant.caFile,
  });
  const sessionSettings = { absoluteMs: 8 * 3_600_000, idleMs: 30 * 60_000 };

  /** Puts the staff user in these IdP groups (app_metadata.roles, the ID token's roles claim), through the Management API. */
  async function setGroups(email: string, roles: string[]) {
    const api = createManagementApi({ domain: tenant.domain, caPem: tenant.caPem, timeoutMs: 5_000, clientId: "passdesk-demo-m2m", clientSecret: "passdesk-demo-m2m-secret" });
    try {
      const id = (await findUsersByEmail(email, api))[0]?.userId;
      if (!id) throw new Error(`no staff user ${email}`);
      await api.run("users.update", (c, options) => c.users.update(id, { app_metadata: { roles } }, options));
    } finally {
      await api.close();
    }
  }
  const storedScope = async (email: string) =>
    (await database.prisma.operator.findUniqueOrThrow({ where: { email }, select: { role: true, scope: true } }));

  it("a newcomer whose claim maps to the EU scope is created with it, and the creation is audited with the scope", async () => {
    await setGroups("newhire@passdesk.test", ["helpdesk", "eu-helpdesk"]);
    const idToken = await tenantClaims("newhire@passdesk.test");
    expect(idToken[ROLES_CLAIM]).toEqual(["helpdesk", "eu-helpdesk"]);
    const result = await signInWithOidc(idToken, scoped(), meta);
    expect(result).toMatchObject({
      ok: true,
      operator: { email: "newhire@passdesk.test", role: "SUPPORT", scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' } },
    });
    expect(await storedScope("newhire@passdesk.test")).toEqual({
      role: "SUPPORT",
      scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' },
    });
    expect((await auditRows()).map((row) => [row.action, row.actorEmail, row.details])).toEqual([
      ["operator.created", null, { newRole: "SUPPORT", newScope: EU_KEY, via: "oidc", issuer: `${tenant.url}/` }],
      ["operator.sign_in", "newhire@passdesk.test", { method: "oidc", issuer: `${tenant.url}/` }],
    ]);
  });

  it("the scope follows the claim at every sign-in: audited before/after, the other sessions ended; unchanged writes nothing", async () => {
    const operator = await createOperator({ email: "support@passdesk.test", name: "Support", role: "SUPPORT", password: "irrelevant-1" });
    const earlier = await createOperatorSession(database.prisma, { operatorId: operator.id, ip: null, userAgent: null, now: new Date(), settings: sessionSettings });
    await setGroups("support@passdesk.test", ["helpdesk", "eu-helpdesk"]);
    const first = await signInWithOidc(await tenantClaims("support@passdesk.test"), scoped(), meta);
    if (!first.ok) throw new Error(`refused: ${first.reason}`);
    expect(await storedScope("support@passdesk.test")).toEqual({
      role: "SUPPORT",
      scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' },
    });
    expect(await validateOperatorSession(database.prisma, earlier.id, new Date(), sessionSettings)).toBeNull();
    expect(await database.prisma.operatorSession.findUniqueOrThrow({ where: { id: earlier.id }, select: { revokeReason: true } })).toEqual({ revokeReason: "scope_changed" });
    expect(await validateOperatorSession(database.prisma, first.session.id, new Date(), sessionSettings)).toMatchObject({
      scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' },
    });

    // The IdP moves them to the US desk: the next sign-in moves the scope and ends the EU session.
    await setGroups("support@passdesk.test", ["helpdesk", "us-helpdesk"]);
    const second = await signInWithOidc(await tenantClaims("support@passdesk.test"), scoped(), meta);
    if (!second.ok) throw new Error(`refused: ${second.reason}`);
    expect(await storedScope("support@passdesk.test")).toEqual({
      role: "SUPPORT",
      scope: { connections: [], organizations: [], filter: 'app_metadata.region:"us"' },
    });
    expect(await validateOperatorSession(database.prisma, first.session.id, new Date(), sessionSettings)).toBeNull();

    // Same claim again: no scope change, the open session stays.
    const third = await signInWithOidc(await tenantClaims("support@passdesk.test"), scoped(), meta);
    if (!third.ok) throw new Error(`refused: ${third.reason}`);
    expect(await validateOperatorSession(database.prisma, second.session.id, new Date(), sessionSettings)).toMatchObject({ email: "support@passdesk.test" });

    const issuer = `${tenant.url}/`;
    expect((await auditRows()).map((row) => [row.action, row.actorEmail, row.targetEmail, row.details])).toEqual([
      ["operator.scope_changed", null, "support@passdesk.test", { previousScope: null, newScope: EU_KEY, via: "oidc", issuer }],
      ["operator.sign_in", "support@passdesk.test", "support@passdesk.test", { method: "oidc", issuer }],
      ["operator.scope_changed", null, "support@passdesk.test", { previousScope: EU_KEY, newScope: US_KEY, via: "oidc", issuer }],
      ["operator.sign_in", "support@passdesk.test", "support@passdesk.test", { method: "oidc", issuer }],
      ["operator.sign_in", "support@passdesk.test", "support@passdesk.test", { method: "oidc", issuer }],
    ]);
  });

  it("a group mapped to null gives the whole tenant (a scope is lifted, audited)", async () => {
    await createOperator({
      email: "admin@passdesk.test",
      name: "Admin",
      role: "ADMIN",
      password: "irrelevant-1",
      scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' },
    });
    const result = await signInWithOidc(await tenantClaims("admin@passdesk.test"), scoped(), meta);
    expect(result).toMatchObject({ ok: true, operator: { role: "ADMIN", scope: null } });
    expect((await storedScope("admin@passdesk.test")).scope).toBeNull();
    expect((await auditRows()).map((row) => [row.action, row.details])).toEqual([
      ["operator.scope_changed", { previousScope: EU_KEY, newScope: null, via: "oidc", issuer: `${tenant.url}/` }],
      ["operator.sign_in", { method: "oidc", issuer: `${tenant.url}/` }],
    ]);
  });

  it("a claim that maps to no scope, or to two different scopes, is refused: nothing changes, no session", async () => {
    const operator = await createOperator({
      email: "former@passdesk.test",
      name: "Former",
      role: "SUPPORT",
      password: "irrelevant-1",
      scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' },
    });
    await setGroups("former@passdesk.test", ["helpdesk"]);
    expect(await signInWithOidc(await tenantClaims("former@passdesk.test"), scoped(), meta)).toEqual({ ok: false, reason: "no_scope" });
    await setGroups("former@passdesk.test", ["helpdesk", "eu-helpdesk", "us-helpdesk"]);
    expect(await signInWithOidc(await tenantClaims("former@passdesk.test"), scoped(), meta)).toEqual({ ok: false, reason: "scope_ambiguous" });
    // A newcomer in no scope group is not created either.
    await setGroups("stranger@passdesk.test", ["helpdesk"]);
    expect(await signInWithOidc(await tenantClaims("stranger@passdesk.test"), scoped(), meta)).toEqual({ ok: false, reason: "no_scope" });
    expect(await database.prisma.operator.findUnique({ where: { email: "stranger@passdesk.test" } })).toBeNull();
    expect(await storedScope("former@passdesk.test")).toEqual({
      role: "SUPPORT",
      scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' },
    });
    expect(await database.prisma.operatorSession.count({ where: { operatorId: operator.id } })).toBe(0);
    const issuer = `${tenant.url}/`;
    expect((await auditRows()).map((row) => [row.action, row.targetEmail, row.details])).toEqual([
      ["operator.sign_in_failed", "former@passdesk.test", { failureReason: "no_scope", method: "oidc", issuer }],
      ["operator.sign_in_failed", "former@passdesk.test", { failureReason: "scope_ambiguous", method: "oidc", issuer }],
      ["operator.sign_in_failed", "stranger@passdesk.test", { failureReason: "no_scope", method: "oidc", issuer }],
    ]);
  });
});

describe("LOCAL_SIGN_IN=false", () => {
  it("the credentials provider refuses a right password and writes no sign-in", async () => {
    const local = await createOperator({ email: "local@passdesk.test", name: "Local", role: "ADMIN", password: "Right-Password-1" });
    const { getAuthOptions } = await import("@/lib/auth/options");
    const credentials = getAuthOptions().providers.find((provider) => provider.id === "credentials") as unknown as {
      options: { authorize(credentials: Record<string, string>, request: unknown): Promise<unknown> };
    };
    const user = await credentials.options.authorize(
      { email: "local@passdesk.test", password: "Right-Password-1" },
      { headers: {} },
    );
    expect(user).toBeNull();
    expect(await database.prisma.operatorSession.count({ where: { operatorId: local.id } })).toBe(0);
    expect(await auditRows()).toEqual([]);
    // A passkey is refused too (the form that offers it is hidden as well).
    const passkey = getAuthOptions().providers.find((provider) => (provider as { options?: { id?: string } }).options?.id === "passkey") as unknown as {
      options: { authorize(credentials: Record<string, string>, request: unknown): Promise<unknown> };
    };
    expect(await passkey.options.authorize({ challengeId: "c".repeat(32), passkey: "{}" }, { headers: {} })).toBeNull();
    // The OIDC provider is there instead (next-auth keeps a credentials provider's own id in options.id).
    expect(getAuthOptions().providers.map((provider) => (provider as { options?: { id?: string } }).options?.id ?? provider.id)).toEqual([
      "credentials",
      "passkey",
      "oidc",
    ]);
  });
});

describe("ID tokens the relying party refuses", () => {
  /** openid-client's own ID-token validation (what its callback() runs), typed loosely in v5's d.ts. */
  const validate = (tokenSet: TokenSet, nonce: string, state?: string): Promise<unknown> =>
    (client as unknown as { validateIdToken(t: TokenSet, n: string, by: string, maxAge?: number, s?: string): Promise<unknown> }).validateIdToken(
      tokenSet,
      nonce,
      "token",
      undefined,
      state,
    );
  it("accepts the tenant's own token, refuses it with another nonce", async () => {
    const verifier = generators.codeVerifier();
    const nonce = generators.nonce();
    const url = client.authorizationUrl({ scope: "openid email", redirect_uri: CALLBACK, code_challenge: generators.codeChallenge(verifier), code_challenge_method: "S256", state: "st", nonce });
    const params = client.callbackParams(await login(url, "support@passdesk.test"));
    const tokens = await client.callback(CALLBACK, params, { code_verifier: verifier, state: "st", nonce });
    expect(tokens.claims().email).toBe("support@passdesk.test");
    await expect(validate(tokens, generators.nonce(), "st")).rejects.toThrow(/nonce mismatch/);
  });

  it("refuses an ID token issued to another application (audience)", async () => {
    const verifier = generators.codeVerifier();
    const spaCallback = "http://127.0.0.1:5999/callback";
    const url = new URL(`${tenant.url}/authorize`);
    url.search = new URLSearchParams({ client_id: "passdesk-demo-spa", redirect_uri: spaCallback, response_type: "code", scope: "openid email", nonce: "n1", code_challenge: generators.codeChallenge(verifier), code_challenge_method: "S256" }).toString();
    const code = new URL(await login(url.toString(), "support@passdesk.test")).searchParams.get("code") ?? "";
    const response = await fetchTenant(`${tenant.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "authorization_code", client_id: "passdesk-demo-spa", code, code_verifier: verifier, redirect_uri: spaCallback }),
    });
    const { id_token } = (await response.json()) as { id_token: string };
    await expect(validate(new TokenSet({ id_token }), "n1")).rejects.toThrow(/aud mismatch/);
  });

  it("refuses an ID token from another issuer, and one signed by another key", async () => {
    const keysModule = pathToFileURL(path.resolve(import.meta.dirname, "../../../tenant/src/auth/keys.ts")).href;
    const { SigningKeys } = (await import(/* @vite-ignore */ keysModule)) as KeysModule;
    const tenantKeys = await SigningKeys.load(path.join(dataDir, "tenant"));
    const now = Math.floor(Date.now() / 1000);
    const base = { sub: "auth0|x", aud: "passdesk-demo-oidc", iat: now, exp: now + 600, nonce: "n2", email: "admin@passdesk.test", email_verified: true };
    const wrongIssuer = await tenantKeys.sign({ ...base, iss: "https://evil.example/" });
    await expect(validate(new TokenSet({ id_token: wrongIssuer }), "n2")).rejects.toThrow(/unexpected iss value/);
    const otherDir = mkdtempSync(path.join(os.tmpdir(), "passdesk-oidc-keys-"));
    try {
      const otherKeys = await SigningKeys.load(otherDir);
      const forged = await otherKeys.sign({ ...base, iss: `${tenant.url}/` });
      await expect(validate(new TokenSet({ id_token: forged }), "n2")).rejects.toThrow();
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
    const genuine = await tenantKeys.sign({ ...base, iss: `${tenant.url}/` });
    await expect(validate(new TokenSet({ id_token: genuine }), "n2")).resolves.toBeDefined();
  });

  describe("step-up through the IdP (prompt=login, max_age=0)", () => {
    /** A real code grant with the step-up's authorization params. */
    const stepUpClaims = (email: string) => tenantClaims(email, { prompt: "login", max_age: 0 });
    const tenantSettings = (): OidcSettings => ({
      issuer: `${tenant.url}/`,
      wellKnown: `${tenant.url}/.well-known/openid-configuration`,
      clientId: "passdesk-demo-oidc",
      clientSecret: "passdesk-demo-oidc-secret",
      name: "Demo",
      roleMapping: null,
      scopeMapping: null,
      caFile: tenant.caFile,
    });
    const HOUR_AGO = new Date(Date.now() - 60 * 60 * 1000);

    async function staleSession(email: string) {
      const operator =
        (await database.prisma.operator.findUnique({ where: { email }, select: { id: true, email: true, name: true, role: true } })) ??
        (await createOperator({ email, name: "Step Up", role: "ADMIN", password: "irrelevant-1" }));
      const session = await createOperatorSession(database.prisma, {
        operatorId: operator.id,
        ip: null,
        userAgent: null,
        now: HOUR_AGO,
        settings: { absoluteMs: 8 * 60 * 60 * 1000, idleMs: 2 * 60 * 60 * 1000 },
        authMethod: "oidc",
      });
      const identity = { id: operator.id, email: operator.email, name: operator.name, role: operator.role, scope: null };
      return { sessionId: session.id, operator: identity };
    }
    const sessionRow = (id: string) =>
      database.prisma.operatorSession.findUniqueOrThrow({ where: { id }, select: { authenticatedAt: true, authMethod: true, revokedAt: true } });

    it("a fresh re-authentication of the same operator makes the open session fresh; no new session", async () => {
      const session = await staleSession("admin@passdesk.test");
      const idToken = await stepUpClaims("admin@passdesk.test");
      expect(typeof idToken["auth_time"]).toBe("number");
      const now = new Date((idToken["auth_time"] as number) * 1000 + 5_000);
      const sessionsBefore = await database.prisma.operatorSession.count({ where: { operatorId: session.operator.id } });
      expect(await stepUpWithOidc(idToken, tenantSettings(), session, meta, now)).toEqual({ ok: true });
      expect(await sessionRow(session.sessionId)).toEqual({ authenticatedAt: now, authMethod: "oidc", revokedAt: null });
      expect(await database.prisma.operatorSession.count({ where: { operatorId: session.operator.id } })).toBe(sessionsBefore);
      expect(await auditRows()).toEqual([
        {
          action: "operator.step_up",
          outcome: "SUCCEEDED",
          targetEmail: "admin@passdesk.test",
          actorEmail: "admin@passdesk.test",
          details: { method: "oidc", issuer: `${tenant.url}/` },
        },
      ]);
    });

    it("an auth_time older than a minute (an IdP that ignored max_age) is refused and recorded", async () => {
      const session = await staleSession("admin@passdesk.test");
      const idToken = await stepUpClaims("admin@passdesk.test");
      const now = new Date((idToken["auth_time"] as number) * 1000 + 61_000);
      expect(await stepUpWithOidc(idToken, tenantSettings(), session, meta, now)).toEqual({ ok: false, reason: "auth_time_stale" });
      expect(await stepUpWithOidc({ ...idToken, auth_time: undefined }, tenantSettings(), session, meta, now)).toEqual({ ok: false, reason: "no_auth_time" });
      expect(await sessionRow(session.sessionId)).toEqual({ authenticatedAt: HOUR_AGO, authMethod: "oidc", revokedAt: null });
      expect(await auditRows()).toEqual([
        {
          action: "operator.step_up",
          outcome: "FAILED",
          targetEmail: "admin@passdesk.test",
          actorEmail: "admin@passdesk.test",
          details: { method: "oidc", issuer: `${tenant.url}/`, failureReason: "auth_time_stale" },
        },
        {
          action: "operator.step_up",
          outcome: "FAILED",
          targetEmail: "admin@passdesk.test",
          actorEmail: "admin@passdesk.test",
          details: { method: "oidc", issuer: `${tenant.url}/`, failureReason: "no_auth_time" },
        },
      ]);
    });

    it("another identity coming back from the IdP is refused and recorded; the session stays stale", async () => {
      const session = await staleSession("admin@passdesk.test");
      const idToken = await stepUpClaims("support@passdesk.test");
      const now = new Date((idToken["auth_time"] as number) * 1000 + 1_000);
      expect(await stepUpWithOidc(idToken, tenantSettings(), session, meta, now)).toEqual({ ok: false, reason: "other_identity" });
      expect(await sessionRow(session.sessionId)).toEqual({ authenticatedAt: HOUR_AGO, authMethod: "oidc", revokedAt: null });
      expect(await auditRows()).toEqual([
        {
          action: "operator.step_up",
          outcome: "FAILED",
          targetEmail: "admin@passdesk.test",
          actorEmail: "admin@passdesk.test",
          details: { method: "oidc", issuer: `${tenant.url}/`, failureReason: "other_identity", emailMasked: "s***t@passdesk.test" },
        },
      ]);
    });

    it("a revoked session is not revived by a step-up", async () => {
      const session = await staleSession("admin@passdesk.test");
      await database.prisma.operatorSession.update({ where: { id: session.sessionId }, data: { revokedAt: HOUR_AGO, revokeReason: "ended_by_operator" } });
      const idToken = await stepUpClaims("admin@passdesk.test");
      const now = new Date((idToken["auth_time"] as number) * 1000 + 1_000);
      expect(await stepUpWithOidc(idToken, tenantSettings(), session, meta, now)).toEqual({ ok: false, reason: "session_ended" });
      expect(await sessionRow(session.sessionId)).toMatchObject({ authenticatedAt: HOUR_AGO, revokedAt: HOUR_AGO });
    });
  });
});
