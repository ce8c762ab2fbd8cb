import { describe, expect, it } from "vitest";
import { DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET } from "../src/demo-credentials.ts";
import {
  createDatabaseUser,
  expectError,
  getToken,
  passwordGrant,
  postToken,
  setUpTestTenant,
  uniqueEmail,
} from "./helpers.ts";

const t = setUpTestTenant();

type Log = {
  log_id: string;
  type: string;
  description: string;
  user_id?: string;
  ip?: string;
  user_name?: string;
};

const CONNECTION = "Username-Password-Authentication";
const PASSWORD = "Initial-Pass-1!";

async function createUser(): Promise<{ id: string; email: string }> {
  return createDatabaseUser(t, "bfp", PASSWORD);
}

/** Password-realm grant from a given end-user IP (a confidential client may forward it). */
async function signInFrom(
  ip: string,
  username: string,
  password: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await postToken(
    t,
    {
      grant_type: "http://auth0.com/oauth/grant-type/password-realm",
      client_id: DEMO_M2M_CLIENT_ID,
      client_secret: DEMO_M2M_CLIENT_SECRET,
      username,
      password,
      realm: CONNECTION,
      scope: "openid",
    },
    { "auth0-forwarded-for": ip },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function failTimes(n: number, email: string, ip?: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const result = ip
      ? await signInFrom(ip, email, "Wrong-Pass-0!")
      : await passwordGrant(t, email, "Wrong-Pass-0!");
    expect(result.status).toBe(403);
  }
}

async function userLogTypes(id: string): Promise<string[]> {
  const page = await t.management.logs.list(
    { per_page: 100, sort: "date:1" },
    { queryParams: { q: `user_id:"${id}"` } },
  );
  return (page.data as Log[]).map((l) => l.type);
}

describe("sign-in logs of the password grant", () => {
  it("logs s, fp, fu and f (admin block) with the user, connection and IP", async () => {
    const { id, email } = await createUser();
    expect((await passwordGrant(t, email, PASSWORD)).status).toBe(200);
    expect((await passwordGrant(t, email, "Wrong-Pass-0!")).status).toBe(403);
    await t.management.users.update(id, { blocked: true });
    const blocked = await passwordGrant(t, email, PASSWORD);
    expect(blocked).toEqual({
      status: 401,
      body: { error: "unauthorized", error_description: "user is blocked" },
    });
    // sapi entries name their target only in details.request.path, so they do not match user_id.
    expect(await userLogTypes(id)).toEqual(["s", "fp", "f"]);

    const page = await t.management.logs.list(
      { per_page: 5 },
      { queryParams: { q: `type:f AND user_id:"${id}"` } },
    );
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      type: "f",
      description: "user is blocked",
      user_id: id,
      user_name: email,
      connection: CONNECTION,
      strategy: "auth0",
      strategy_type: "database",
      ip: "127.0.0.1",
    });

    const unknown = uniqueEmail("nobody");
    expect((await passwordGrant(t, unknown, PASSWORD)).status).toBe(403);
    const fu = await t.management.logs.list({}, { queryParams: { q: `type:fu AND user_name:"${unknown}"` } });
    expect(fu.data).toHaveLength(1);
    expect((fu.data[0] as Log).user_id).toBeUndefined();
  });
});

describe("brute-force protection", () => {
  it("blocks the user from that IP after 10 failures: 429 too_many_attempts, limit_wc, listed by user-blocks", async () => {
    const { id, email } = await createUser();
    await failTimes(10, email);
    const refused = await passwordGrant(t, email, PASSWORD);
    expect(refused).toEqual({
      status: 429,
      body: {
        error: "too_many_attempts",
        error_description:
          "Your account has been blocked after multiple consecutive login attempts. We’ve sent you an email with instructions on how to unblock it.",
      },
    });
    const types = await userLogTypes(id);
    expect(types.filter((type) => type === "fp")).toHaveLength(10);
    expect(types.at(-1)).toBe("limit_wc");

    const expected = { blocked_for: [{ identifier: email, ip: "127.0.0.1", connection: CONNECTION }] };
    expect(await t.management.userBlocks.list(id)).toEqual(expected);
    expect(await t.management.userBlocks.listByIdentifier({ identifier: email })).toEqual(expected);
    // An admin block is a different thing: the user itself is not `blocked`.
    expect((await t.management.users.get(id)).blocked).toBeUndefined();
  });

  it("counts per IP: another IP still signs in, and 9 failures then a success reset the count", async () => {
    const { id, email } = await createUser();
    await failTimes(10, email, "203.0.113.7");
    expect((await signInFrom("203.0.113.7", email, PASSWORD)).status).toBe(429);
    expect((await signInFrom("198.51.100.2", email, PASSWORD)).status).toBe(200);
    expect((await t.management.userBlocks.list(id)).blocked_for).toEqual([
      { identifier: email, ip: "203.0.113.7", connection: CONNECTION },
    ]);

    const other = await createUser();
    await failTimes(9, other.email, "198.51.100.9");
    expect((await signInFrom("198.51.100.9", other.email, PASSWORD)).status).toBe(200);
    await failTimes(9, other.email, "198.51.100.9");
    expect((await signInFrom("198.51.100.9", other.email, PASSWORD)).status).toBe(200);
    expect((await t.management.userBlocks.list(other.id)).blocked_for).toEqual([]);
  });

  it("DELETE /user-blocks/{id} lifts the block; the right password then works", async () => {
    const { id, email } = await createUser();
    await failTimes(10, email);
    await t.management.userBlocks.delete(id);
    expect((await t.management.userBlocks.list(id)).blocked_for).toEqual([]);
    expect((await passwordGrant(t, email, PASSWORD)).status).toBe(200);
  });

  it("DELETE /user-blocks?identifier= lifts it too, and leaves an admin block in place", async () => {
    const { id, email } = await createUser();
    await failTimes(10, email);
    await t.management.users.update(id, { blocked: true });
    await t.management.userBlocks.deleteByIdentifier({ identifier: email });
    expect((await t.management.userBlocks.listByIdentifier({ identifier: email })).blocked_for).toEqual([]);
    expect((await t.management.users.get(id)).blocked).toBe(true);
    expect((await passwordGrant(t, email, PASSWORD)).status).toBe(401);
  });

  it("a password change through the Management API lifts the block", async () => {
    const { id, email } = await createUser();
    await failTimes(10, email);
    await t.management.users.update(id, { password: "Changed-Pass-2!" });
    expect((await t.management.userBlocks.list(id)).blocked_for).toEqual([]);
    expect((await passwordGrant(t, email, "Changed-Pass-2!")).status).toBe(200);
  });

  it("a reset on the hosted page lifts the block", async () => {
    const { id, email } = await createUser();
    await failTimes(10, email);
    const { ticket } = await t.management.tickets.changePassword({ user_id: id });
    const link = (ticket ?? "").replace(/#$/, "");
    const response = await t.fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        ticket: new URL(link).searchParams.get("ticket") ?? "",
        newPassword: "Reset-Pass-3!",
        confirmNewPassword: "Reset-Pass-3!",
      }).toString(),
      redirect: "manual",
    });
    expect(response.status).toBeLessThan(400);
    expect((await t.management.userBlocks.list(id)).blocked_for).toEqual([]);
    expect((await passwordGrant(t, email, "Reset-Pass-3!")).status).toBe(200);
  });

  it("a block ends 30 days after the last failed attempt (tenant clock)", async () => {
    const { id, email } = await createUser();
    await failTimes(10, email);
    await t.control("POST", "/clock", { advanceSec: 29 * 86_400 });
    expect((await t.management.userBlocks.list(id)).blocked_for).toHaveLength(1);
    await t.control("POST", "/clock", { advanceSec: 86_400 + 60 });
    expect((await t.management.userBlocks.list(id)).blocked_for).toEqual([]);
    expect((await passwordGrant(t, email, PASSWORD)).status).toBe(200);
    await t.control("POST", "/clock", { reset: true });
  });

  it("answers 404 for an unknown user and 400 without identifier", async () => {
    const missing = await expectError(() => t.noRetry.userBlocks.list("auth0|000000000000000000000000"));
    expect(missing).toMatchObject({ statusCode: 404, body: { statusCode: 404, message: "User not found" } });
    const response = await t.fetch(`${t.tenant.url}/api/v2/user-blocks`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(response.status).toBe(400);
  });
});

async function token(): Promise<string> {
  return getToken(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
}
