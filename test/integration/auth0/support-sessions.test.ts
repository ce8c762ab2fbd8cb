import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { Auth0NotFoundError, Auth0ScopeError } from "@/lib/auth0/errors";
import { signOutEverywhere } from "@/lib/auth0/sessions";
import { startLocalTenant, type LocalTenant } from "./local-tenant";
import { createDatabaseUser, passwordLogin, refreshGrant } from "./support-helpers";

let tenant: LocalTenant;
let api: ManagementApi;
let readonlyApi: ManagementApi;
let dispatcher: Agent;

beforeAll(async () => {
  tenant = await startLocalTenant(40);
  dispatcher = new Agent({ connect: { ca: tenant.caPem } });
  await tenant.control("PUT", "/__control/rate-limits", { disabled: true });
  const config = { domain: tenant.domain, caPem: tenant.caPem, timeoutMs: 5_000 };
  api = createManagementApi({
    ...config,
    clientId: "passdesk-demo-m2m",
    clientSecret: "passdesk-demo-m2m-secret",
  });
  readonlyApi = createManagementApi({
    ...config,
    clientId: "passdesk-demo-readonly",
    clientSecret: "passdesk-demo-readonly-secret",
  });
});

afterAll(async () => {
  await api?.close();
  await readonlyApi?.close();
  await dispatcher?.close();
  await tenant?.close();
});

describe("signOutEverywhere", () => {
  it("ends sessions and revokes refresh tokens, tells the counts, and the refresh grant then fails", async () => {
    const { id, email } = await createDatabaseUser(api);
    const first = await passwordLogin(tenant, dispatcher, email, "Initial-Pass-1!", "openid offline_access");
    await passwordLogin(tenant, dispatcher, email, "Initial-Pass-1!", "openid offline_access");
    await passwordLogin(tenant, dispatcher, email, "Initial-Pass-1!", "openid");
    const refreshToken = String(first.body["refresh_token"]);
    expect((await refreshGrant(tenant, dispatcher, refreshToken)).status).toBe(200);

    expect(await signOutEverywhere(id, api)).toEqual({ sessionsEnded: 3, refreshTokensRevoked: 2 });
    expect(await refreshGrant(tenant, dispatcher, refreshToken)).toEqual({
      status: 403,
      body: { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
    });
    // Nothing left: a second run ends nothing.
    expect(await signOutEverywhere(id, api)).toEqual({ sessionsEnded: 0, refreshTokensRevoked: 0 });
  });

  it("throws Auth0NotFoundError for an unknown user", async () => {
    await expect(signOutEverywhere("auth0|000000000000000000000000", api)).rejects.toBeInstanceOf(
      Auth0NotFoundError,
    );
  });

  it("maps a missing scope to Auth0ScopeError naming it", async () => {
    const { id } = await createDatabaseUser(api);
    const error = await signOutEverywhere(id, readonlyApi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Auth0ScopeError);
    // Both lists run in parallel and both scopes are missing: either may be reported first.
    expect([["read:sessions"], ["read:refresh_tokens"]]).toContainEqual((error as Auth0ScopeError).scopes);
  });
});
