import { describe, expect, it } from "vitest";
import { DEMO_RESET_CLIENT_ID } from "../src/demo-credentials.ts";
import { createDatabaseUser, expectError, postToken, setUpTestTenant } from "./helpers.ts";

const t = setUpTestTenant();

const PASSWORD = "Initial-Pass-1!";

async function createUser(): Promise<{ id: string; email: string }> {
  return createDatabaseUser(t, "sessions", PASSWORD);
}

async function signIn(email: string, scope = "openid offline_access"): Promise<Record<string, string>> {
  const response = await postToken(
    t,
    {
      grant_type: "password",
      client_id: DEMO_RESET_CLIENT_ID,
      username: email,
      password: PASSWORD,
      scope,
    },
    { "user-agent": "SessionTest/1.0" },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, string>;
}

async function refresh(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await postToken(t, {
    grant_type: "refresh_token",
    client_id: DEMO_RESET_CLIENT_ID,
    refresh_token: token,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function sidOf(idToken: string): string {
  const payload = JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8")) as {
    sid: string;
  };
  return payload.sid;
}

describe("sessions", () => {
  it("a login creates a session whose id is the sid claim, listed by GET /users/{id}/sessions", async () => {
    const { id, email } = await createUser();
    const first = await signIn(email, "openid");
    await signIn(email, "openid");
    const page = await t.management.users.sessions.list(id);
    expect(page.data).toHaveLength(2);
    const session = page.data.find((s) => s.id === sidOf(first["id_token"] ?? ""));
    expect(session).toMatchObject({
      user_id: id,
      clients: [{ client_id: DEMO_RESET_CLIENT_ID }],
      device: { initial_ip: "127.0.0.1", initial_user_agent: "SessionTest/1.0" },
      authentication: { methods: [{ name: "pwd" }] },
    });
    expect(await t.management.sessions.get(session?.id ?? "")).toMatchObject({
      id: session?.id,
      user_id: id,
    });
  });

  it("pages with take/next and the SDK follows next", async () => {
    const { id, email } = await createUser();
    for (let i = 0; i < 3; i++) await signIn(email, "openid");
    const first = await t.management.users.sessions.list(id, { take: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.data).toHaveLength(1);
    expect(second.hasNextPage()).toBe(false);
  });

  it("DELETE /users/{id}/sessions answers 202 and ends them: /userinfo refuses the old access token", async () => {
    const { id, email } = await createUser();
    const tokens = await signIn(email, "openid");
    const userinfo = (): Promise<Response> =>
      t.fetch(`${t.tenant.url}/userinfo`, { headers: { authorization: `Bearer ${tokens["access_token"]}` } });
    expect((await userinfo()).status).toBe(200);
    const raw = await t.management.users.sessions.delete(id).withRawResponse();
    expect(raw.rawResponse.status).toBe(202);
    expect((await t.management.users.sessions.list(id)).data).toEqual([]);
    expect((await userinfo()).status).toBe(401);
  });

  it("DELETE /sessions/{id} answers 202, ends one session, and 404 once gone", async () => {
    const { id, email } = await createUser();
    const one = sidOf((await signIn(email, "openid"))["id_token"] ?? "");
    await signIn(email, "openid");
    const raw = await t.management.sessions.delete(one).withRawResponse();
    expect(raw.rawResponse.status).toBe(202);
    expect((await t.management.users.sessions.list(id)).data).toHaveLength(1);
    const gone = await expectError(() => t.noRetry.sessions.get(one));
    expect(gone).toMatchObject({ statusCode: 404, body: { message: "The session does not exist." } });
    const again = await expectError(() => t.noRetry.sessions.delete(one));
    expect(again.statusCode).toBe(404);
  });

  it("answers 404 for an unknown user", async () => {
    const error = await expectError(() => t.noRetry.users.sessions.list("auth0|000000000000000000000000"));
    expect(error).toMatchObject({ statusCode: 404, body: { message: "The user does not exist." } });
  });
});

describe("refresh tokens", () => {
  it("offline_access issues one, listed without its value by GET /users/{id}/refresh-tokens", async () => {
    const { id, email } = await createUser();
    const tokens = await signIn(email);
    await signIn(email, "openid");
    const page = await t.management.users.refreshToken.list(id);
    expect(page.data).toHaveLength(1);
    const listed = page.data[0];
    expect(listed).toMatchObject({
      user_id: id,
      client_id: DEMO_RESET_CLIENT_ID,
      session_id: sidOf(tokens["id_token"] ?? ""),
      rotating: false,
    });
    expect(JSON.stringify(page.data)).not.toContain(tokens["refresh_token"]);
    expect((await refresh(tokens["refresh_token"] ?? "")).status).toBe(200);
  });

  it("survives the end of its session, and a password change (as Auth0's do)", async () => {
    const { id, email } = await createUser();
    const tokens = await signIn(email);
    await t.management.users.sessions.delete(id);
    expect((await refresh(tokens["refresh_token"] ?? "")).status).toBe(200);
    await t.management.users.update(id, { password: "Changed-Pass-2!" });
    expect((await t.management.users.sessions.list(id)).data).toEqual([]);
    expect((await refresh(tokens["refresh_token"] ?? "")).status).toBe(200);
  });

  it("DELETE /users/{id}/refresh-tokens answers 202; the grant then fails 403 invalid_grant and logs fertft", async () => {
    const { id, email } = await createUser();
    const tokens = await signIn(email);
    const raw = await t.management.users.refreshToken.delete(id).withRawResponse();
    expect(raw.rawResponse.status).toBe(202);
    expect((await t.management.users.refreshToken.list(id)).data).toEqual([]);
    expect(await refresh(tokens["refresh_token"] ?? "")).toEqual({
      status: 403,
      body: { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
    });
    const logs = await t.management.logs.list({}, { queryParams: { q: `type:fertft AND user_id:"${id}"` } });
    expect(logs.data).toHaveLength(1);
  });

  it("DELETE /refresh-tokens/{id} revokes one", async () => {
    const { id, email } = await createUser();
    const tokens = await signIn(email);
    const [listed] = (await t.management.users.refreshToken.list(id)).data;
    await t.management.refreshTokens.delete(listed?.id ?? "");
    expect((await refresh(tokens["refresh_token"] ?? "")).status).toBe(403);
    const gone = await expectError(() => t.noRetry.refreshTokens.get(listed?.id ?? ""));
    expect(gone.statusCode).toBe(404);
  });
});
