import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetAuth0BusyGates } from "@/lib/auth0/busy-gate";
import { createManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { listConnections } from "@/lib/auth0/connections";
import {
  Auth0CredentialsError,
  Auth0InvalidRequestError,
  Auth0RateLimitError,
  Auth0UnavailableError,
} from "@/lib/auth0/errors";
import { getUser, searchUsers } from "@/lib/auth0/users";
import { startLocalTenant, type LocalTenant } from "./local-tenant";

let tenant: LocalTenant;
let api: ManagementApi;

function apiFor(overrides: Partial<Parameters<typeof createManagementApi>[0]> = {}): ManagementApi {
  return createManagementApi({
    domain: tenant.domain,
    clientId: "passdesk-demo-m2m",
    clientSecret: "passdesk-demo-m2m-secret",
    caPem: tenant.caPem,
    timeoutMs: 2_000,
    ...overrides,
  });
}

async function addFault(rule: Record<string, unknown>): Promise<void> {
  const response = await tenant.control("POST", "/__control/faults", rule);
  expect(response.status).toBe(201);
}

async function stats(): Promise<{ tokensIssued: number; requests: Record<string, number> }> {
  return (await (await tenant.control("GET", "/__control/stats")).json()) as {
    tokensIssued: number;
    requests: Record<string, number>;
  };
}

beforeAll(async () => {
  tenant = await startLocalTenant(300);
  api = apiFor();
});

afterEach(async () => {
  await tenant.control("DELETE", "/__control/faults");
  // A 429 test leaves Auth0's reset behind in the process-wide gate (lib/auth0/busy-gate).
  resetAuth0BusyGates();
});

afterAll(async () => {
  await api?.close();
  await tenant?.close();
});

describe("searchUsers against the local tenant", () => {
  it("lists users with totals and maps them to the table DTO", async () => {
    const result = await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, api);
    expect(result).toMatchObject({ total: 300, page: 1, perPage: 10, isCapped: false });
    expect(result.users).toHaveLength(10);
    for (const user of result.users) {
      expect(user.userId).toMatch(/\|/);
      expect(["database", "social", "enterprise", "passwordless"]).toContain(user.connectionType);
    }
  });

  it("finds a user by email prefix, by exact user id and by connection", async () => {
    const [first] = (
      await searchUsers(
        { field: "email", text: "", page: 1, perPage: 10, sort: { field: "email", direction: 1 } },
        api,
      )
    ).users;
    expect(first?.email).toBeTruthy();
    const byEmail = await searchUsers(
      { field: "email", text: first?.email?.slice(0, 6) ?? "", page: 1, perPage: 100 },
      api,
    );
    expect(byEmail.users.map((user) => user.userId)).toContain(first?.userId);
    const byId = await searchUsers({ field: "userId", text: first?.userId ?? "", page: 1, perPage: 10 }, api);
    expect(byId.users.map((user) => user.userId)).toEqual([first?.userId]);
    const social = await searchUsers(
      { field: "email", text: "", connection: "google-oauth2", page: 1, perPage: 100 },
      api,
    );
    expect(social.total).toBeGreaterThan(0);
    // A database user with a linked Google identity matches too: the filter is on any identity.
    for (const user of social.users) {
      const profile = await getUser(user.userId, api);
      expect(profile?.identities.map((identity) => identity.connection)).toContain("google-oauth2");
    }
  });

  it("sorts by logins", async () => {
    const result = await searchUsers(
      { field: "email", text: "", page: 1, perPage: 50, sort: { field: "logins_count", direction: -1 } },
      api,
    );
    const counts = result.users.map((user) => user.loginsCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it.each(['"', "*:*", "a OR b", "x) OR (y", "\\", "山田", "🦄🦄🦄", "a".repeat(256)])(
    "answers hostile text %j with a result, not an error",
    async (text) => {
      const result = await searchUsers({ field: "name", text, page: 1, perPage: 10 }, api);
      expect(result.total).toBeLessThan(300);
    },
  );

  it("passes Auth0's own message for a bad advanced query", async () => {
    const error = await searchUsers({ field: "lucene", text: "name:", page: 1, perPage: 10 }, api).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Auth0InvalidRequestError);
    expect((error as Auth0InvalidRequestError).message.length).toBeGreaterThan(0);
  });

  it("refuses a page past the 1,000-result cap before calling Auth0", async () => {
    const error = await searchUsers({ field: "email", text: "", page: 11, perPage: 100 }, api).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Auth0InvalidRequestError);
    expect((error as Auth0InvalidRequestError).errorCode).toBe("invalid_paging");
  });

  it("maps the tenant's own invalid_paging 400", async () => {
    // Bypass the pre-check by asking the SDK directly for a page Auth0 refuses.
    const error = await api
      .run("users.list", (client, options) =>
        client.users.list({ page: 20, per_page: 100, include_totals: true }, options),
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Auth0InvalidRequestError);
    expect((error as Auth0InvalidRequestError).errorCode).toBe("invalid_paging");
  });
});

describe("getUser", () => {
  it("returns the profile with identities and the database identity's policy", async () => {
    const [user] = (
      await searchUsers(
        { field: "email", text: "", connection: "Username-Password-Authentication", page: 1, perPage: 10 },
        api,
      )
    ).users;
    const profile = await getUser(user?.userId ?? "", api);
    expect(profile?.databaseIdentity).toMatchObject({
      connection: "Username-Password-Authentication",
      strategy: "auth0",
    });
    expect(profile?.databaseIdentity?.connectionId).toMatch(/^con_/);
    expect(profile?.databaseIdentity?.passwordPolicy?.policy).toBe("good");
  });

  it("returns null for an unknown id (404) and for a malformed id (no call)", async () => {
    expect(await getUser("auth0|does-not-exist", api)).toBeNull();
    expect(await getUser("no-provider-prefix", api)).toBeNull();
    expect(await getUser("../connections|x", api)).toBeNull();
  });

  it("gives a social user no database identity", async () => {
    const [social] = (
      await searchUsers({ field: "userId", text: "google-oauth2|", page: 1, perPage: 10 }, api)
    ).users;
    const profile = await getUser(social?.userId ?? "", api);
    expect(profile).toMatchObject({ connectionType: "social", databaseIdentity: null });
  });
});

describe("listConnections", () => {
  it("classifies every connection and caches the list", async () => {
    const fresh = apiFor();
    const connections = await listConnections(fresh);
    expect(connections.find((connection) => connection.name === "google-oauth2")?.type).toBe("social");
    expect(connections.find((connection) => connection.strategy === "samlp")?.type).toBe("enterprise");
    expect(
      connections
        .filter((connection) => connection.type === "database")
        .every((connection) => connection.passwordPolicy),
    ).toBe(true);
    const before = (await stats()).requests["GET /api/v2/connections"];
    await listConnections(fresh);
    expect((await stats()).requests["GET /api/v2/connections"]).toBe(before);
    await fresh.close();
  });
});

describe("one token per client", () => {
  it("fetches the Management API token once and reuses it", async () => {
    const fresh = apiFor();
    const before = (await stats()).tokensIssued;
    await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, fresh);
    await searchUsers({ field: "email", text: "jam", page: 1, perPage: 10 }, fresh);
    await getUser("auth0|nobody", fresh);
    expect((await stats()).tokensIssued - before).toBe(1);
    await fresh.close();
  });
});

describe("failures", () => {
  it("maps a 429 with its reset time when the wait is too long to absorb", async () => {
    await addFault({
      path: "/api/v2/users",
      method: "GET",
      action: { type: "status", status: 429, retryAfterSec: 30 },
    });
    const error = await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, api).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Auth0RateLimitError);
    const retryAt = (error as Auth0RateLimitError).retryAt.getTime();
    expect(retryAt).toBeGreaterThan(Date.now() + 20_000);
    expect(retryAt).toBeLessThan(Date.now() + 40_000);
  });

  it("waits out a short 429 and succeeds", async () => {
    await addFault({
      path: "/api/v2/users",
      method: "GET",
      times: 1,
      action: { type: "status", status: 429, retryAfterSec: 1 },
    });
    const result = await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, api);
    expect(result.users).toHaveLength(10);
  });

  it("retries a 503 twice, then reports unavailable", async () => {
    await addFault({ path: "/api/v2/users", method: "GET", action: { type: "status", status: 503 } });
    const before = (await (await tenant.control("GET", "/__control/faults")).json()) as Array<{
      hits: number;
    }>;
    expect(before[0]?.hits).toBe(0);
    const error = await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, api).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Auth0UnavailableError);
    expect((error as Auth0UnavailableError).status).toBe(503);
    const after = (await (await tenant.control("GET", "/__control/faults")).json()) as Array<{
      hits: number;
    }>;
    expect(after[0]?.hits).toBe(3);
  });

  it("recovers from one 500", async () => {
    await addFault({
      path: "/api/v2/users",
      method: "GET",
      times: 1,
      action: { type: "status", status: 500 },
    });
    expect((await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, api)).users).toHaveLength(
      10,
    );
  });

  // A tenant that never answers: without the timeout this call would never settle (the test
  // would fail at vitest's timeout); how long it takes is figure 8 of `npm run bench`.
  it("reports a hanging tenant as unavailable after the timeout", async () => {
    await addFault({ path: "/api/v2/users", method: "GET", action: { type: "hang" } });
    const error = await searchUsers(
      { field: "email", text: "", page: 1, perPage: 10 },
      apiFor({ timeoutMs: 500 }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Auth0UnavailableError);
  });

  it("reports a malformed JSON body as unavailable", async () => {
    await addFault({ path: "/api/v2/users", method: "GET", action: { type: "malformed-json" } });
    const error = await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, api).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Auth0UnavailableError);
  });

  it("reports wrong client credentials without leaking them", async () => {
    const wrong = apiFor({ clientSecret: "not-the-secret" });
    const error = await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, wrong).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Auth0CredentialsError);
    expect(JSON.stringify({ message: (error as Error).message })).not.toContain("not-the-secret");
    await wrong.close();
  });

  it("reports an untrusted certificate as unavailable", async () => {
    const untrusted = apiFor({ caPem: undefined });
    const error = await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, untrusted).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Auth0UnavailableError);
    expect((error as Error).message).toMatch(/certificate/);
    await untrusted.close();
  });

  it("reports a missing CA file clearly", async () => {
    const missing = apiFor({ caPem: undefined, caFile: "/nonexistent/ca.pem" });
    const error = await searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, missing).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ errorCode: "ca_missing" });
    await missing.close();
  });
});
