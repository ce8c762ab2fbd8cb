import { beforeAll, describe, expect, it } from "vitest";
import { SEED_PASSWORD } from "../src/demo-credentials.ts";
import { expectError, getToken, setUpTestTenant, uniqueEmail } from "./helpers.ts";
import { DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET } from "../src/demo-credentials.ts";

const t = setUpTestTenant({ users: 3000 });
let token: string;
beforeAll(async () => {
  token = await getToken(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
});

async function rawGet(path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await t.fetch(`${t.tenant.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe("GET /api/v2/users", () => {
  it("answers a scoped search (ids AND a filter) exactly, from the id index: user_id:(…) AND (…)", async () => {
    const created = [];
    for (const region of ["eu", "us", "eu"]) {
      created.push(
        await t.management.users.create({
          connection: "Username-Password-Authentication",
          email: uniqueEmail(`indexed-and-${region}`),
          password: "Indexed-And-Search-1!",
          app_metadata: { region },
        }),
      );
    }
    const [eu1, us, eu2] = created.map((user) => user.user_id as string);
    const ids = [eu1, us, eu2, "auth0|000000000000000000000000"].map((id) => `"${id}"`).join(" OR ");
    const scoped = await t.management.users.list({
      q: `user_id:(${ids}) AND (app_metadata.region:"eu")`,
      search_engine: "v3",
      per_page: 100,
    });
    expect(scoped.data.map((user) => user.user_id).sort()).toEqual([eu1, eu2].sort());
    const negated = await t.management.users.list({
      q: `user_id:(${ids}) AND NOT app_metadata.region:"eu"`,
      search_engine: "v3",
      per_page: 100,
    });
    expect(negated.data.map((user) => user.user_id)).toEqual([us]);
  });

  it("lists with totals through the SDK (page 0, default 50)", async () => {
    const page = await t.management.users.list({});
    expect(page.data).toHaveLength(50);
    expect(page.response).toMatchObject({ start: 0, limit: 50, length: 50, total: 1000 });
  });

  it("returns a bare array without include_totals", async () => {
    const { status, body } = await rawGet("/api/v2/users?per_page=3");
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    expect(body).toHaveLength(3);
  });

  it("searches with Lucene v3: connection, email.domain, ranges, wildcards, case-insensitive names", async () => {
    const github = await t.management.users.list({
      q: 'identities.connection:"github"',
      search_engine: "v3",
      per_page: 100,
    });
    expect(github.data.length).toBeGreaterThan(0);
    expect(github.data.every((u) => u.identities?.some((i) => i.connection === "github"))).toBe(true);

    const domain = await t.management.users.list({
      q: 'email.domain:"passdesk.example"',
      search_engine: "v3",
      per_page: 100,
    });
    expect(domain.data.length).toBeGreaterThan(0);
    expect(domain.data.every((u) => u.email?.endsWith("@passdesk.example"))).toBe(true);

    const range = await t.management.users.list({
      q: "logins_count:[100 TO 200]",
      search_engine: "v3",
      per_page: 100,
    });
    expect(range.data.length).toBeGreaterThan(0);
    expect(range.data.every((u) => (u.logins_count ?? -1) >= 100 && (u.logins_count ?? 999) <= 200)).toBe(
      true,
    );

    const exact = await t.management.users.list({ q: 'email:"ALICE.DEMO@example.com"', search_engine: "v3" });
    expect(exact.data.map((u) => u.email)).toEqual(["alice.demo@example.com"]);

    const wildcard = await t.management.users.list({ q: "email:alic*", search_engine: "v3" });
    expect(wildcard.data.map((u) => u.email)).toContain("alice.demo@example.com");

    const kanji = await t.management.users.list({ q: 'name:"山田 花子"', search_engine: "v3" });
    expect(kanji.data.map((u) => u.email)).toContain("hanako.yamada@example.jp");
  });

  it("sorts by a field in both directions", async () => {
    const desc = await t.management.users.list({ sort: "logins_count:-1", per_page: 20 });
    const counts = desc.data.map((u) => u.logins_count ?? -1);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const asc = await t.management.users.list({ sort: "created_at:1", per_page: 20 });
    const dates = asc.data.map((u) => String(u.created_at));
    expect(dates).toEqual([...dates].sort());
  });

  it("projects fields with fields/include_fields", async () => {
    const { body } = await rawGet("/api/v2/users?per_page=2&fields=user_id,email&include_fields=true");
    expect(Object.keys((body as Record<string, unknown>[])[0] ?? {}).sort()).toEqual(["email", "user_id"]);
    const { body: excluded } = await rawGet(
      "/api/v2/users?per_page=2&fields=identities&include_fields=false",
    );
    expect((excluded as Record<string, unknown>[])[0]).not.toHaveProperty("identities");
  });

  it("caps totals at 1,000 and answers invalid_paging past it", async () => {
    const last = await t.management.users.list({ page: 19, per_page: 50 });
    expect(last.data).toHaveLength(50);
    expect(last.response.total).toBe(1000);
    const error = await expectError(() => t.noRetry.users.list({ page: 20, per_page: 50 }));
    expect(error.statusCode).toBe(400);
    expect(error.body).toMatchObject({ statusCode: 400, error: "Bad Request", errorCode: "invalid_paging" });
    expect(String(error.body["message"])).toContain("You can only page through the first 1000 records");
  });

  it("rejects per_page over 100", async () => {
    const error = await expectError(() => t.noRetry.users.list({ per_page: 101 }));
    expect(error.statusCode).toBe(400);
    expect(error.body).toMatchObject({ statusCode: 400, errorCode: "invalid_query_string" });
  });

  it("rejects an invalid Lucene query with invalid_query_string", async () => {
    const error = await expectError(() =>
      t.noRetry.users.list({ q: 'email:"unterminated', search_engine: "v3" }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.body).toMatchObject({
      statusCode: 400,
      error: "Bad Request",
      errorCode: "invalid_query_string",
    });
    expect(String(error.body["message"])).toMatch(/^Invalid query: /);
  });

  it("seeds users of every kind with Auth0's field rules", async () => {
    const never = (await t.management.users.listUsersByEmail({ email: "never.demo@example.com" }))[0];
    expect(never).toBeDefined();
    expect(never).not.toHaveProperty("logins_count");
    expect(never).not.toHaveProperty("last_login");
    expect(never).not.toHaveProperty("last_ip");
    expect(never).not.toHaveProperty("last_password_reset");
    expect(never?.email_verified).toBe(false);

    const linked = (await t.management.users.listUsersByEmail({ email: "linked.demo@example.com" })).find(
      (u) => u.user_id?.startsWith("auth0|"),
    );
    expect(linked?.identities?.map((i) => i.connection)).toEqual([
      "Username-Password-Authentication",
      "google-oauth2",
    ]);
    expect(linked?.identities?.[1]?.isSocial).toBe(true);

    const saml = (await t.management.users.listUsersByEmail({ email: "saml.demo@acme.example" }))[0];
    expect(saml?.user_id).toBe("samlp|acme-saml|saml.demo");
    expect(saml?.identities?.[0]).toEqual({
      connection: "acme-saml",
      user_id: "acme-saml|saml.demo",
      provider: "samlp",
      isSocial: false,
    });

    const alice = (await t.management.users.listUsersByEmail({ email: "alice.demo@example.com" }))[0];
    expect(alice?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(typeof alice?.logins_count).toBe("number");

    const blocked = await t.management.users.list({ q: "blocked:true", per_page: 5 });
    expect(blocked.data.length).toBeGreaterThan(0);
    const japanese = await t.management.users.list({ q: "email.domain:example.jp", per_page: 5 });
    expect(japanese.data.some((u) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(String(u.name)))).toBe(true);
  });
});

describe("GET /api/v2/users/{id} and /users-by-email", () => {
  it("gets a user by a URL-encoded id (pipes in the id)", async () => {
    const user = await t.management.users.get("samlp|acme-saml|saml.demo");
    expect(user.email).toBe("saml.demo@acme.example");
    const raw = await rawGet(`/api/v2/users/${encodeURIComponent("samlp|acme-saml|saml.demo")}`);
    expect(raw.status).toBe(200);
  });

  it("answers 404 inexistent_user for an unknown id", async () => {
    const error = await expectError(() => t.noRetry.users.get("auth0|doesnotexist"));
    expect(error.statusCode).toBe(404);
    expect(error.body).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: "The user does not exist.",
      errorCode: "inexistent_user",
    });
  });

  it("finds users by email case-insensitively and returns [] when none", async () => {
    const found = await t.management.users.listUsersByEmail({ email: "Alice.Demo@EXAMPLE.com" });
    expect(found.map((u) => u.email)).toEqual(["alice.demo@example.com"]);
    expect(await t.management.users.listUsersByEmail({ email: "nobody@nowhere.example" })).toEqual([]);
  });
});

describe("POST/DELETE /api/v2/users", () => {
  it("creates a database user that can sign in, and refuses a duplicate with 409", async () => {
    const email = uniqueEmail("create");
    const created = await t.management.users.create({
      connection: "Username-Password-Authentication",
      email,
      password: "Create-Me-123!",
      name: "Created User",
    });
    expect(created.user_id).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(created.email).toBe(email);
    expect(created.identities?.[0]).toMatchObject({
      connection: "Username-Password-Authentication",
      provider: "auth0",
      isSocial: false,
    });
    expect(created).not.toHaveProperty("logins_count");
    const fetched = await t.management.users.get(created.user_id ?? "");
    expect(fetched.name).toBe("Created User");

    const duplicate = await expectError(() =>
      t.noRetry.users.create({
        connection: "Username-Password-Authentication",
        email: email.toUpperCase(),
        password: "Create-Me-123!",
      }),
    );
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.body).toMatchObject({
      statusCode: 409,
      error: "Conflict",
      message: "The user already exists.",
    });
  });

  it("requires a connection, refuses non-database connections and weak passwords", async () => {
    const missing = await t.fetch(`${t.tenant.url}/api/v2/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail(), password: "Create-Me-123!" }),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toContain("connection");

    const social = await expectError(() =>
      t.noRetry.users.create({
        connection: "google-oauth2",
        email: uniqueEmail(),
        password: "Create-Me-123!",
      }),
    );
    expect(social.statusCode).toBe(400);

    const weak = await expectError(() =>
      t.noRetry.users.create({
        connection: "Username-Password-Authentication",
        email: uniqueEmail(),
        password: "short",
      }),
    );
    expect(weak.statusCode).toBe(400);
    expect(weak.body["message"]).toBe("PasswordStrengthError: Password is too weak");
  });

  it("deletes a user (204), after which it is gone", async () => {
    const created = await t.management.users.create({
      connection: "Username-Password-Authentication",
      email: uniqueEmail("delete"),
      password: "Delete-Me-123!",
    });
    await t.management.users.delete(created.user_id ?? "");
    const error = await expectError(() => t.noRetry.users.get(created.user_id ?? ""));
    expect(error.statusCode).toBe(404);
  });

  it("patches profile fields and merges metadata", async () => {
    const created = await t.management.users.create({
      connection: "Username-Password-Authentication",
      email: uniqueEmail("patch"),
      password: "Patch-Me-123!",
      user_metadata: { a: 1, b: 2 },
    });
    const updated = await t.management.users.update(created.user_id ?? "", {
      name: "Renamed",
      email_verified: true,
      user_metadata: { b: null, c: 3 },
      app_metadata: { plan: "pro" },
    });
    expect(updated.name).toBe("Renamed");
    expect(updated.email_verified).toBe(true);
    expect(updated.user_metadata).toEqual({ a: 1, c: 3 });
    expect(updated.app_metadata).toEqual({ plan: "pro" });
    expect(Date.parse(String(updated.updated_at))).toBeGreaterThanOrEqual(
      Date.parse(String(created.updated_at)),
    );
  });

  it("never exposes password hashes", async () => {
    const { body } = await rawGet("/api/v2/users?per_page=100");
    expect(JSON.stringify(body)).not.toMatch(/scrypt|passwordHash/);
    expect(JSON.stringify(body)).not.toContain(SEED_PASSWORD);
  });
});
