import { custom, generators, Issuer, type Client as OidcClient } from "openid-client";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_M2M_CLIENT_ID,
  DEMO_M2M_CLIENT_SECRET,
  DEMO_OIDC_CLIENT_ID,
  DEMO_OIDC_CLIENT_SECRET,
  DEMO_SPA_CALLBACK,
  DEMO_SPA_CLIENT_ID,
  SEED_PASSWORD,
} from "../src/demo-credentials.ts";
import { getToken, manualClock, postToken, setUpTestTenant, uniqueEmail } from "./helpers.ts";

/**
 * Issue 15, item 2: the local tenant as an OpenID Connect provider. The relying party is
 * openid-client v5 (the library next-auth uses), unchanged; the hosted login page is driven with
 * plain HTTP like a browser would.
 */
const clock = manualClock();
const t = setUpTestTenant({ now: clock.now, staffDirectory: true });
const CALLBACK = "http://127.0.0.1:3999/api/auth/callback/oidc";
const STAFF = "Passdesk-Staff-DB";

type Log = { type: string; user_id?: string; user_name?: string; connection?: string; client_id?: string; description?: string };

let issuer: Issuer;
let client: OidcClient;

beforeAll(async () => {
  custom.setHttpOptionsDefaults({ ca: t.tenant.caPem });
  issuer = await Issuer.discover(`${t.tenant.url}/`);
  client = new issuer.Client({
    client_id: DEMO_OIDC_CLIENT_ID,
    client_secret: DEMO_OIDC_CLIENT_SECRET,
    redirect_uris: [CALLBACK],
    response_types: ["code"],
  });
});

type Step = { status: number; location?: string; cookie?: string; html: string };

async function get(url: string, cookie?: string): Promise<Step> {
  const response = await t.fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
  const location = response.headers.get("location") ?? undefined;
  return { status: response.status, ...(location ? { location } : {}), html: await response.text() };
}

/** Submits the hosted login page shown for `page`. */
async function submitLogin(page: Step, username: string, password: string): Promise<Step> {
  const tx = /name="tx" value="([^"]+)"/.exec(page.html)?.[1];
  expect(tx, page.html).toBeDefined();
  const response = await t.fetch(`${t.tenant.url}/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ tx: tx ?? "", username, password }).toString(),
  });
  const location = response.headers.get("location") ?? undefined;
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  return {
    status: response.status,
    ...(location ? { location } : {}),
    ...(cookie ? { cookie } : {}),
    html: await response.text(),
  };
}

function pkce(): { verifier: string; challenge: string; state: string; nonce: string } {
  const verifier = generators.codeVerifier();
  return { verifier, challenge: generators.codeChallenge(verifier), state: generators.state(), nonce: generators.nonce() };
}

function authorizationUrl(p: ReturnType<typeof pkce>, extra: Record<string, string> = {}): string {
  return client.authorizationUrl({
    scope: "openid email profile",
    redirect_uri: CALLBACK,
    code_challenge: p.challenge,
    code_challenge_method: "S256",
    state: p.state,
    nonce: p.nonce,
    ...extra,
  });
}

async function signIn(email: string, extra: Record<string, string> = {}) {
  const p = pkce();
  const page = await get(authorizationUrl(p, extra));
  expect(page.status).toBe(200);
  const done = await submitLogin(page, email, SEED_PASSWORD);
  expect(done.status, done.html).toBe(302);
  return { p, done, params: client.callbackParams(done.location ?? "") };
}

async function logsOf(userId: string): Promise<Log[]> {
  const token = await getToken(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
  const response = await t.fetch(
    `${t.tenant.url}/api/v2/users/${encodeURIComponent(userId)}/logs?sort=date:-1&per_page=50`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  return (await response.json()) as Log[];
}

async function management(path: string): Promise<unknown> {
  const token = await getToken(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
  const response = await t.fetch(`${t.tenant.url}/api/v2${path}`, { headers: { authorization: `Bearer ${token}` } });
  return response.json();
}

describe("discovery and keys", () => {
  it("publishes the OpenID configuration that openid-client discovers", () => {
    const base = `${t.tenant.url}/`;
    expect(issuer.metadata.issuer).toBe(base);
    expect(issuer.metadata.authorization_endpoint).toBe(`${base}authorize`);
    expect(issuer.metadata.token_endpoint).toBe(`${base}oauth/token`);
    expect(issuer.metadata.userinfo_endpoint).toBe(`${base}userinfo`);
    expect(issuer.metadata.jwks_uri).toBe(`${base}.well-known/jwks.json`);
    expect(issuer.metadata["code_challenge_methods_supported"]).toEqual(["S256", "plain"]);
    expect(issuer.metadata["id_token_signing_alg_values_supported"]).toEqual(["RS256"]);
    expect(issuer.metadata["response_types_supported"]).toEqual(["code"]);
  });
});

describe("authorization code with PKCE (confidential client)", () => {
  it("signs a staff user in: ID token with nonce, auth_time, email and the role claim; userinfo agrees", async () => {
    const { p, params } = await signIn("admin@passdesk.test");
    expect(params.state).toBe(p.state);
    const tokens = await client.callback(CALLBACK, params, { code_verifier: p.verifier, state: p.state, nonce: p.nonce });
    const claims = tokens.claims();
    expect(claims.iss).toBe(`${t.tenant.url}/`);
    expect(claims.aud).toBe(DEMO_OIDC_CLIENT_ID);
    expect(claims.nonce).toBe(p.nonce);
    expect(claims.email).toBe("admin@passdesk.test");
    expect(claims.email_verified).toBe(true);
    expect(claims["https://passdesk.dev/roles"]).toEqual(["passdesk-admins"]);
    expect(claims.auth_time).toBe(Math.floor(clock.now() / 1000));
    const info = await client.userinfo(tokens);
    expect(info.email).toBe("admin@passdesk.test");
    expect(info["https://passdesk.dev/roles"]).toEqual(["passdesk-admins"]);
  });

  it("refuses a wrong code verifier, and the code is spent", async () => {
    const { p, params } = await signIn("support@passdesk.test");
    await expect(
      client.callback(CALLBACK, params, { code_verifier: generators.codeVerifier(), state: p.state, nonce: p.nonce }),
    ).rejects.toMatchObject({ error: "invalid_grant", error_description: "Failed to verify code verifier" });
    await expect(
      client.callback(CALLBACK, params, { code_verifier: p.verifier, state: p.state, nonce: p.nonce }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a code used twice", async () => {
    const { p, params } = await signIn("support@passdesk.test");
    await client.callback(CALLBACK, params, { code_verifier: p.verifier, state: p.state, nonce: p.nonce });
    await expect(
      client.callback(CALLBACK, params, { code_verifier: p.verifier, state: p.state, nonce: p.nonce }),
    ).rejects.toMatchObject({ error: "invalid_grant", error_description: "Invalid authorization code" });
  });

  it("refuses an expired code (60 s)", async () => {
    const { p, params } = await signIn("support@passdesk.test");
    clock.advance(61_000);
    await expect(
      client.callback(CALLBACK, params, { code_verifier: p.verifier, state: p.state, nonce: p.nonce }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a code exchanged with another redirect_uri or without the client secret", async () => {
    const { p, params } = await signIn("support@passdesk.test");
    const other = await postToken(t, {
      grant_type: "authorization_code",
      client_id: DEMO_OIDC_CLIENT_ID,
      client_secret: DEMO_OIDC_CLIENT_SECRET,
      code: params.code ?? "",
      code_verifier: p.verifier,
      redirect_uri: "http://127.0.0.1:3999/elsewhere",
    });
    expect(other.status).toBe(403);
    const again = await signIn("support@passdesk.test");
    const noSecret = await postToken(t, {
      grant_type: "authorization_code",
      client_id: DEMO_OIDC_CLIENT_ID,
      code: again.params.code ?? "",
      code_verifier: again.p.verifier,
      redirect_uri: CALLBACK,
    });
    expect(noSecret.status).toBe(401);
  });

  it("the relying party refuses an ID token whose nonce is not the one it sent", async () => {
    const { p, params } = await signIn("support@passdesk.test");
    await expect(
      client.callback(CALLBACK, params, { code_verifier: p.verifier, state: p.state, nonce: generators.nonce() }),
    ).rejects.toThrow(/nonce mismatch/);
  });

  it("echoes an unverified email as email_verified false", async () => {
    const { p, params } = await signIn("unverified@passdesk.test");
    const tokens = await client.callback(CALLBACK, params, { code_verifier: p.verifier, state: p.state, nonce: p.nonce });
    expect(tokens.claims().email_verified).toBe(false);
  });
});

describe("public client (SPA)", () => {
  it("requires an S256 code challenge", async () => {
    const url = new URL(`${t.tenant.url}/authorize`);
    url.search = new URLSearchParams({
      client_id: DEMO_SPA_CLIENT_ID,
      redirect_uri: DEMO_SPA_CALLBACK,
      response_type: "code",
      scope: "openid",
      state: "s1",
    }).toString();
    const step = await get(url.toString());
    expect(step.status).toBe(302);
    const back = new URL(step.location ?? "");
    expect(back.origin + back.pathname).toBe(DEMO_SPA_CALLBACK);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("state")).toBe("s1");
  });

  it("exchanges a code with only the verifier (no secret)", async () => {
    const p = pkce();
    const url = new URL(`${t.tenant.url}/authorize`);
    url.search = new URLSearchParams({
      client_id: DEMO_SPA_CLIENT_ID,
      redirect_uri: DEMO_SPA_CALLBACK,
      response_type: "code",
      scope: "openid email",
      state: p.state,
      nonce: p.nonce,
      code_challenge: p.challenge,
      code_challenge_method: "S256",
    }).toString();
    const done = await submitLogin(await get(url.toString()), "support@passdesk.test", SEED_PASSWORD);
    const code = new URL(done.location ?? "").searchParams.get("code") ?? "";
    const response = await postToken(t, {
      grant_type: "authorization_code",
      client_id: DEMO_SPA_CLIENT_ID,
      code,
      code_verifier: p.verifier,
      redirect_uri: DEMO_SPA_CALLBACK,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id_token?: string; token_type?: string };
    expect(body.token_type).toBe("Bearer");
    expect(typeof body.id_token).toBe("string");
  });
});

describe("the authorization request", () => {
  it("shows an error page instead of redirecting to a callback URL that is not registered", async () => {
    const p = pkce();
    const step = await get(
      client.authorizationUrl({
        scope: "openid",
        redirect_uri: "https://evil.example/callback",
        code_challenge: p.challenge,
        code_challenge_method: "S256",
        state: p.state,
      }),
    );
    expect(step.status).toBe(400);
    expect(step.location).toBeUndefined();
    expect(step.html).toContain("its callback URL is not allowed for the application");
  });

  it("accepts any loopback port for the demo callback, not another path", async () => {
    const p = pkce();
    const ok = await get(authorizationUrl(p, { redirect_uri: "http://localhost:41234/api/auth/callback/oidc" }));
    expect(ok.status).toBe(200);
    const wrongPath = await get(authorizationUrl(p, { redirect_uri: "http://localhost:41234/api/auth/callback/other" }));
    expect(wrongPath.status).toBe(400);
  });

  it("shows the login page in Japanese for ui_locales=ja", async () => {
    const page = await get(authorizationUrl(pkce(), { ui_locales: "ja" }));
    expect(page.html).toContain('<html lang="ja">');
    expect(page.html).toContain("メールアドレス");
    expect(page.html).toContain("パスワード");
  });

  it("signs in again from the SSO cookie, unless prompt=login or the last login is older than max_age", async () => {
    const first = await signIn("auditor@passdesk.test");
    const cookie = first.done.cookie;
    expect(cookie).toMatch(/^auth0=/);
    const silent = await get(authorizationUrl(pkce()), cookie);
    expect(silent.status).toBe(302);
    expect(new URL(silent.location ?? "").searchParams.get("code")).not.toBeNull();
    expect((await get(authorizationUrl(pkce(), { prompt: "login" }), cookie)).status).toBe(200);
    expect((await get(authorizationUrl(pkce(), { max_age: "300" }), cookie)).status).toBe(302);
    clock.advance(301_000);
    expect((await get(authorizationUrl(pkce(), { max_age: "300" }), cookie)).status).toBe(200);
  });
});

describe("the hosted login page uses the password grant's checks and events", () => {
  async function createStaffUser(): Promise<{ id: string; email: string }> {
    const email = uniqueEmail("sso");
    const user = await t.management.users.create({ connection: STAFF, email, password: "Quiet-Harbor-Lamp-47" });
    return { id: user.user_id ?? "", email };
  }

  it("writes fp, then s with a session; fu for an unknown email", async () => {
    const user = await createStaffUser();
    const p = pkce();
    const wrong = await submitLogin(await get(authorizationUrl(p)), user.email, "Not-The-Password-1");
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain("Wrong email or password.");
    const ok = await submitLogin(await get(authorizationUrl(p)), user.email, "Quiet-Harbor-Lamp-47");
    expect(ok.status).toBe(302);
    const logs = await logsOf(user.id);
    expect(logs.map((log) => log.type)).toEqual(["s", "fp"]);
    expect(logs[0]).toMatchObject({ connection: STAFF, client_id: DEMO_OIDC_CLIENT_ID, user_name: user.email });
    const sessions = (await management(`/users/${encodeURIComponent(user.id)}/sessions`)) as { sessions: unknown[] };
    expect(sessions.sessions).toHaveLength(1);

    const unknown = `nobody.${Date.now()}@passdesk.test`;
    await submitLogin(await get(authorizationUrl(pkce())), unknown, "Whatever-1234");
    const all = (await management(`/logs?q=${encodeURIComponent(`type:fu`)}&per_page=100`)) as Log[];
    expect(all.some((log) => log.user_name === unknown && log.connection === STAFF)).toBe(true);
  });

  it("blocks after 10 wrong passwords (limit_wc), even with the right one", async () => {
    const user = await createStaffUser();
    for (let attempt = 0; attempt < 10; attempt++) {
      const wrong = await submitLogin(await get(authorizationUrl(pkce())), user.email, `Wrong-Password-${attempt}`);
      expect(wrong.status).toBe(401);
    }
    const blocked = await submitLogin(await get(authorizationUrl(pkce())), user.email, "Quiet-Harbor-Lamp-47");
    expect(blocked.status).toBe(429);
    expect(blocked.html).toContain("blocked after multiple consecutive login attempts");
    const types = (await logsOf(user.id)).map((log) => log.type);
    expect(types[0]).toBe("limit_wc");
    expect(types.filter((type) => type === "fp")).toHaveLength(10);
  });

  it("refuses a blocked user with an f event", async () => {
    const user = await createStaffUser();
    await t.management.users.update(user.id, { blocked: true });
    const refused = await submitLogin(await get(authorizationUrl(pkce())), user.email, "Quiet-Harbor-Lamp-47");
    expect(refused.status).toBe(401);
    expect(refused.html).toContain("This account is blocked.");
    expect((await logsOf(user.id))[0]?.type).toBe("f");
  });
});
