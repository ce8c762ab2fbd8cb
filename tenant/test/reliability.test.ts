import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET } from "../src/demo-credentials.ts";
import { expectError, getToken, setUpTestTenant } from "./helpers.ts";

const t = setUpTestTenant({ rateLimits: { disabled: false } });
let token: string;
beforeAll(async () => {
  token = await getToken(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
});
beforeEach(async () => {
  await t.control("DELETE", "/faults");
  await t.control("PUT", "/rate-limits", { reset: true });
});

function get(path: string): Promise<Response> {
  return t.fetch(`${t.tenant.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

async function addFault(body: unknown): Promise<string> {
  const response = await t.control("POST", "/faults", body);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe("rate limits", () => {
  it("sends X-RateLimit headers on every API response, with the group's burst as the limit", async () => {
    const users = await get("/api/v2/users?per_page=1");
    expect(users.headers.get("x-ratelimit-limit")).toBe("40");
    const remaining = Number(users.headers.get("x-ratelimit-remaining"));
    expect(remaining).toBeLessThan(40);
    const reset = Number(users.headers.get("x-ratelimit-reset"));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(reset).toBeLessThan(Date.now() / 1000 + 120);
    const next = await get("/api/v2/users?per_page=1");
    expect(Number(next.headers.get("x-ratelimit-remaining"))).toBe(remaining - 1);

    const connections = await get("/api/v2/connections");
    expect(connections.headers.get("x-ratelimit-limit")).toBe("5");
    const tokenResponse = await t.fetch(`${t.tenant.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(tokenResponse.headers.get("x-ratelimit-limit")).not.toBeNull();
  });

  it("answers 429 with the documented body and Retry-After when a bucket is empty", async () => {
    await t.control("PUT", "/rate-limits", { groups: { "users:read": { burst: 3, perMinute: 6 } } });
    for (let i = 0; i < 3; i++) expect((await get("/api/v2/users?per_page=1")).status).toBe(200);
    const limited = await get("/api/v2/users?per_page=1");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await limited.json()).toEqual({
      statusCode: 429,
      error: "Too Many Requests",
      message: "Global limit has been reached",
      errorCode: "too_many_requests",
    });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");

    const sdkError = await expectError(() => t.noRetry.users.list({ per_page: 1 }));
    expect(sdkError.statusCode).toBe(429);
    // Other groups are unaffected.
    expect((await get("/api/v2/connections")).status).toBe(200);
  });

  it("can be disabled through the control API", async () => {
    await t.control("PUT", "/rate-limits", {
      disabled: true,
      groups: { "users:read": { burst: 1, perMinute: 1 } },
    });
    for (let i = 0; i < 4; i++) expect((await get("/api/v2/users?per_page=1")).status).toBe(200);
  });
});

describe("fault injection", () => {
  it("status: fails N times with the given status, then recovers (the SDK retries through it)", async () => {
    await addFault({
      method: "GET",
      path: "/api/v2/users",
      times: 2,
      action: { type: "status", status: 503 },
    });
    expect((await get("/api/v2/users?per_page=1")).status).toBe(503);
    const body = await (await get("/api/v2/users?per_page=1")).json();
    expect(body).toMatchObject({ statusCode: 503, error: "Service Unavailable" });
    expect((await get("/api/v2/users?per_page=1")).status).toBe(200);

    await addFault({ path: "/api/v2/users", times: 1, action: { type: "status", status: 500 } });
    const page = await t.management.users.list({ per_page: 1 });
    expect(page.data).toHaveLength(1);
  });

  it("status 429 with retryAfterSec sets Retry-After and X-RateLimit-Reset", async () => {
    await addFault({
      path: "/api/v2/users",
      times: 1,
      action: { type: "status", status: 429, retryAfterSec: 7 },
    });
    const response = await get("/api/v2/users?per_page=1");
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000) + 6,
    );
    expect(await response.json()).toMatchObject({ statusCode: 429, errorCode: "too_many_requests" });
  });

  // How long the delay is, is measured by `npm run bench` (figure 8), not asserted here.
  it("delay: holds a matching answer back while other requests are answered", async () => {
    await addFault({ path: "/api/v2/connections", times: 1, action: { type: "delay", ms: 2000 } });
    let delayedAnswered = false;
    const delayed = get("/api/v2/connections").then((response) => {
      delayedAnswered = true;
      return response;
    });
    expect((await get("/api/v2/users?per_page=1")).status).toBe(200);
    expect((await get("/api/v2/connections")).status).toBe(200); // times: 1 — this one is not held
    expect(delayedAnswered).toBe(false);
    expect((await delayed).status).toBe(200);
  });

  it("hang: never answers (the client times out)", async () => {
    await addFault({ path: "/api/v2/users", times: 1, action: { type: "hang" } });
    const error = await expectError(() => t.noRetry.users.list({ per_page: 1 }, { timeoutInSeconds: 0.5 }));
    expect(error.statusCode ?? 408).toBeGreaterThanOrEqual(400);
    expect((await get("/api/v2/users?per_page=1")).status).toBe(200);
  });

  it("malformed-json: a 200 with a truncated JSON body", async () => {
    await addFault({ path: "/api/v2/users", times: 1, action: { type: "malformed-json" } });
    const response = await get("/api/v2/users?per_page=1");
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it("drop: closes the connection without an answer", async () => {
    await addFault({ path: "/api/v2/users", times: 1, action: { type: "drop" } });
    await expect(get("/api/v2/users?per_page=1")).rejects.toThrow();
    expect((await get("/api/v2/users?per_page=1")).status).toBe(200);
  });

  it("matches by method and by /regex/, and DELETE /faults clears them", async () => {
    await addFault({
      method: "PATCH",
      path: "/^\\/api\\/v2\\/users\\/.+$/",
      action: { type: "status", status: 500 },
    });
    expect((await get("/api/v2/users?per_page=1")).status).toBe(200);
    const id =
      ((await (await get("/api/v2/users?per_page=1")).json()) as { user_id: string }[])[0]?.user_id ?? "";
    const patch = await t.fetch(`${t.tenant.url}/api/v2/users/${encodeURIComponent(id)}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ user_metadata: { x: 1 } }),
    });
    expect(patch.status).toBe(500);
    expect((await t.control("DELETE", "/faults")).status).toBe(204);
    expect(((await (await t.control("GET", "/faults")).json()) as unknown[]).length).toBe(0);
  });

  it("the control API needs its token", async () => {
    const response = await t.fetch(`${t.tenant.url}/__control/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "/", action: { type: "drop" } }),
    });
    expect(response.status).toBe(401);
    expect((await t.fetch(`${t.tenant.url}/__control/health`)).status).toBe(200);
  });

  it("counts requests by route in /stats", async () => {
    await get("/api/v2/users?per_page=1");
    const stats = (await (await t.control("GET", "/stats")).json()) as {
      requests: Record<string, number>;
      tokensIssued: number;
    };
    expect(stats.requests["GET /api/v2/users"]).toBeGreaterThan(0);
    expect(stats.tokensIssued).toBeGreaterThan(0);
  });
});
