import { describe, expect, it } from "vitest";
import { Auth0NotFoundError, Auth0ScopeError } from "@/lib/auth0/errors";
import { signOutEverywhere } from "@/lib/auth0/sessions";
import { createDatabaseUser, passwordLogin, refreshGrant, setUpSupportTenant } from "./support-helpers";

const support = setUpSupportTenant(40);

describe("signOutEverywhere", () => {
  it("ends sessions and revokes refresh tokens, tells the counts, and the refresh grant then fails", async () => {
    const { id, email } = await createDatabaseUser(support.api);
    const first = await passwordLogin(support, email, "Initial-Pass-1!", "openid offline_access");
    await passwordLogin(support, email, "Initial-Pass-1!", "openid offline_access");
    await passwordLogin(support, email, "Initial-Pass-1!", "openid");
    const refreshToken = String(first.body["refresh_token"]);
    expect((await refreshGrant(support, refreshToken)).status).toBe(200);

    expect(await signOutEverywhere(id, support.api)).toEqual({ sessionsEnded: 3, refreshTokensRevoked: 2 });
    expect(await refreshGrant(support, refreshToken)).toEqual({
      status: 403,
      body: { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
    });
    // Nothing left: a second run ends nothing.
    expect(await signOutEverywhere(id, support.api)).toEqual({ sessionsEnded: 0, refreshTokensRevoked: 0 });
  });

  it("throws Auth0NotFoundError for an unknown user", async () => {
    await expect(signOutEverywhere("auth0|000000000000000000000000", support.api)).rejects.toBeInstanceOf(
      Auth0NotFoundError,
    );
  });

  it("maps a missing scope to Auth0ScopeError naming it", async () => {
    const { id } = await createDatabaseUser(support.api);
    const error = await signOutEverywhere(id, support.readonlyApi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Auth0ScopeError);
    // Both lists run in parallel and both scopes are missing: either may be reported first.
    expect([["read:sessions"], ["read:refresh_tokens"]]).toContainEqual((error as Auth0ScopeError).scopes);
  });
});
