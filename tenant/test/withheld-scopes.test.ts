import { afterEach, describe, expect, it } from "vitest";
import { createDatabaseUser, expectError, setUpTestTenant } from "./helpers.ts";

const t = setUpTestTenant();

afterEach(async () => {
  await t.control("PUT", "/scopes", { withhold: [] });
});

describe("PUT /__control/scopes (a scope taken from the app)", () => {
  it("answers Auth0's 403 insufficient_scope for an endpoint needing it, even with a token issued before; others still work", async () => {
    const { id } = await createDatabaseUser(t, "scopes");
    await t.management.logs.list({ per_page: 1 }); // the SDK now holds a token with every scope
    const set = await t.control("PUT", "/scopes", { withhold: ["read:logs", "read:logs_users"] });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ withheld: ["read:logs", "read:logs_users"] });

    const error = await expectError(() => t.noRetry.logs.list({ per_page: 1 }));
    expect(error.statusCode).toBe(403);
    expect(error.body).toEqual({
      statusCode: 403,
      error: "Forbidden",
      message: "Insufficient scope, expected any of: read:logs,read:logs_users",
      errorCode: "insufficient_scope",
    });
    expect((await t.management.users.get(id)).user_id).toBe(id);
  });

  it("an empty list restores the scopes; a malformed body is a 400", async () => {
    await t.control("PUT", "/scopes", { withhold: ["read:logs", "read:logs_users"] });
    await t.control("PUT", "/scopes", { withhold: [] });
    expect((await t.noRetry.logs.list({ per_page: 1 })).data.length).toBeGreaterThanOrEqual(0);
    expect((await t.control("PUT", "/scopes", { withhold: "read:logs" })).status).toBe(400);
  });
});
