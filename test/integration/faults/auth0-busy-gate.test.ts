import { describe, expect, it } from "vitest";
import { Auth0RateLimitError } from "@/lib/auth0/errors";
import { getUser, searchUsers } from "@/lib/auth0/users";
import { setUpFaultHarness } from "./fault-harness";

/**
 * Issue 11, point 5: when Auth0 says slow down, Passdesk slows down — across requests. Real
 * HTTPS to the in-process tenant; the tenant is told to answer 429 through its control API and
 * counts what reached it.
 */
const h = setUpFaultHarness();

async function searchRequests(): Promise<number> {
  return (await h.stats()).requests["GET /api/v2/users"] ?? 0;
}

function search(text: string) {
  return searchUsers({ field: "email", text, page: 1, perPage: 10 }, h.api);
}

describe("Auth0 busy gate", () => {
  it("a 429 whose reset is far away is not retried", async () => {
    await h.control("POST", "/faults", {
      method: "GET",
      path: "/api/v2/users",
      action: { type: "status", status: 429, retryAfterSec: 30 },
    });
    const before = await searchRequests();
    await expect(search("gate-one")).rejects.toBeInstanceOf(Auth0RateLimitError);
    expect((await searchRequests()) - before).toBe(1);
  });

  it("after one 429, parallel searches fail at once with the same reset instead of reaching Auth0", async () => {
    await h.control("POST", "/faults", {
      method: "GET",
      path: "/api/v2/users",
      action: { type: "status", status: 429, retryAfterSec: 30 },
    });
    const before = await searchRequests();
    const first = await search("gate-first").catch((error: unknown) => error);
    expect(first).toBeInstanceOf(Auth0RateLimitError);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, index) => search(`gate-${index}`)));
    expect(results.map((result) => result.status)).toEqual(Array.from({ length: 20 }, () => "rejected"));
    for (const result of results) {
      const reason = (result as PromiseRejectedResult).reason as Auth0RateLimitError;
      expect(reason).toBeInstanceOf(Auth0RateLimitError);
      expect(reason.retryAt.getTime()).toBe((first as Auth0RateLimitError).retryAt.getTime());
    }
    // Only the first search reached the tenant.
    expect((await searchRequests()) - before).toBe(1);
  });

  it("the gate is per group: a searches' 429 does not stop the connections list", async () => {
    await h.control("POST", "/faults", {
      method: "GET",
      path: "/api/v2/users",
      action: { type: "status", status: 429, retryAfterSec: 30 },
    });
    await expect(search("gate-group")).rejects.toBeInstanceOf(Auth0RateLimitError);
    const connectionsBefore = (await h.stats()).requests["GET /api/v2/connections"] ?? 0;
    h.api.clearCache();
    const { listConnections } = await import("@/lib/auth0/connections");
    expect((await listConnections(h.api)).length).toBeGreaterThan(0);
    expect(((await h.stats()).requests["GET /api/v2/connections"] ?? 0) - connectionsBefore).toBe(1);
    // users.get shares the users:read bucket with the search: gated too, without a request.
    const before = (await h.stats()).requests["GET /api/v2/users/{id}"] ?? 0;
    await expect(getUser("auth0|gate-probe", h.api)).rejects.toBeInstanceOf(Auth0RateLimitError);
    expect(((await h.stats()).requests["GET /api/v2/users/{id}"] ?? 0) - before).toBe(0);
  });
});
