import { describe, expect, it } from "vitest";
import { SEED_PASSWORD } from "../src/demo-credentials.ts";
import { expectError, passwordGrant, postToken, setUpTestTenant, uniqueEmail } from "./helpers.ts";

const t = setUpTestTenant();

async function createUser(
  connection = "Username-Password-Authentication",
  extra: Record<string, unknown> = {},
): Promise<{ id: string; email: string }> {
  const email = uniqueEmail("pw");
  const created = await t.management.users.create({
    connection,
    email,
    password: "Initial-Pass-1!",
    ...extra,
  });
  return { id: created.user_id ?? "", email };
}

describe("PATCH /api/v2/users/{id} with a password", () => {
  it("sets the password: new one works, old one is refused, last_password_reset and updated_at set", async () => {
    const { id, email } = await createUser();
    expect((await passwordGrant(t, email, "Initial-Pass-1!")).status).toBe(200);
    const before = Date.now();
    const updated = await t.management.users.update(id, {
      password: "Brand-New-Pass-2!",
      connection: "Username-Password-Authentication",
    });
    expect(Date.parse(String(updated.last_password_reset))).toBeGreaterThanOrEqual(before - 5);
    expect(updated.last_password_reset).toBe(updated.updated_at);
    expect(String(updated.last_password_reset)).toMatch(/\.\d{3}Z$/);

    const oldAttempt = await passwordGrant(t, email, "Initial-Pass-1!");
    expect(oldAttempt.status).toBe(403);
    expect(oldAttempt.body).toEqual({
      error: "invalid_grant",
      error_description: "Wrong email or password.",
    });
    const newAttempt = await passwordGrant(t, email, "Brand-New-Pass-2!");
    expect(newAttempt.status).toBe(200);
    expect(typeof newAttempt.body["access_token"]).toBe("string");
    expect(typeof newAttempt.body["id_token"]).toBe("string");
  });

  it("the seeded password works for seeded database users", async () => {
    const result = await passwordGrant(t, "alice.demo@example.com", SEED_PASSWORD);
    expect(result.status).toBe(200);
    const user = (await t.management.users.listUsersByEmail({ email: "alice.demo@example.com" }))[0];
    expect(typeof user?.last_login).toBe("string");
  });

  it("rejects a weak password with PasswordStrengthError and leaves the old one in place", async () => {
    const { id, email } = await createUser();
    const error = await expectError(() => t.noRetry.users.update(id, { password: "weakpass" }));
    expect(error.statusCode).toBe(400);
    expect(error.body).toMatchObject({
      statusCode: 400,
      error: "Bad Request",
      message: "PasswordStrengthError: Password is too weak",
    });
    expect((await passwordGrant(t, email, "Initial-Pass-1!")).status).toBe(200);
    const user = await t.management.users.get(id);
    expect(user).not.toHaveProperty("last_password_reset");
  });

  it("enforces password history (size 5) on Username-Password-Authentication", async () => {
    const { id } = await createUser();
    const reused = await expectError(() => t.noRetry.users.update(id, { password: "Initial-Pass-1!" }));
    expect(reused.body["message"]).toBe("PasswordHistoryError: Password has previously been used");
    await t.management.users.update(id, { password: "Second-Pass-2!" });
    const again = await expectError(() => t.noRetry.users.update(id, { password: "Initial-Pass-1!" }));
    expect(again.body["message"]).toBe("PasswordHistoryError: Password has previously been used");
    for (const password of ["Third-Pass-3!", "Fourth-Pass-4!", "Fifth-Pass-5!", "Sixth-Pass-6!"]) {
      await t.management.users.update(id, { password });
    }
    // Five newer passwords later, the first one may be used again.
    const ok = await t.management.users.update(id, { password: "Initial-Pass-1!" });
    expect(ok.last_password_reset).toBeDefined();
  });

  it("seeded users have the seed password in their history", async () => {
    const user = (
      await t.management.users.list({
        q: 'identities.connection:"Username-Password-Authentication" AND NOT _exists_:blocked',
        per_page: 5,
      })
    ).data.find((u) => u.identities?.length === 1);
    const error = await expectError(() =>
      t.noRetry.users.update(user?.user_id ?? "", { password: SEED_PASSWORD }),
    );
    expect(error.body["message"]).toBe("PasswordHistoryError: Password has previously been used");
  });

  it("enforces the excellent policy, dictionary and personal-info rules on Passdesk-Staff-DB", async () => {
    const { id } = await createUser("Passdesk-Staff-DB", {
      password: "Staff-Initial-Pass-1!",
      given_name: "Marguerite",
      family_name: "Okonkwo",
    });
    const tooShort = await expectError(() => t.noRetry.users.update(id, { password: "Short-1!a" }));
    expect(tooShort.body["message"]).toBe("PasswordStrengthError: Password is too weak");
    const repeated = await expectError(() => t.noRetry.users.update(id, { password: "Aaaa-bbbb-1111!" }));
    expect(repeated.body["message"]).toBe("PasswordStrengthError: Password is too weak");
    // In the connection's own dictionary (case-insensitive) and in the built-in list.
    const custom = await expectError(() => t.noRetry.users.update(id, { password: "passdesk2025!" }));
    expect(custom.body["message"]).toBe("PasswordDictionaryError: Password is too common");
    const common = await expectError(() => t.noRetry.users.update(id, { password: "Password123!" }));
    expect(common.body["message"]).toBe("PasswordDictionaryError: Password is too common");
    const personal = await expectError(() => t.noRetry.users.update(id, { password: "Marguerite-2025!" }));
    expect(personal.body["message"]).toBe("PasswordNoUserInfoError: Password contains user information");
    const ok = await t.management.users.update(id, { password: "Quiet-Harbor-Lamp-47" });
    expect(ok.last_password_reset).toBeDefined();
    expect((await passwordGrant(t, ok.email ?? "", "Quiet-Harbor-Lamp-47", "Passdesk-Staff-DB")).status).toBe(
      200,
    );
  });

  it("refuses to set a password for social and enterprise users", async () => {
    for (const email of ["google.demo@gmail.example", "saml.demo@acme.example"]) {
      const user = (await t.management.users.listUsersByEmail({ email }))[0];
      const error = await expectError(() =>
        t.noRetry.users.update(user?.user_id ?? "", { password: "Some-Strong-Pass-1!" }),
      );
      expect(error.statusCode).toBe(400);
      expect(String(error.body["message"])).toContain("non-database connection");
    }
  });

  it("refuses a password for a linked social identity but accepts the database one", async () => {
    const linked = (await t.management.users.listUsersByEmail({ email: "linked.demo@example.com" })).find(
      (u) => u.user_id?.startsWith("auth0|"),
    );
    const social = await expectError(() =>
      t.noRetry.users.update(linked?.user_id ?? "", {
        password: "Linked-Strong-1!",
        connection: "google-oauth2",
      }),
    );
    expect(social.statusCode).toBe(400);
    const ok = await t.management.users.update(linked?.user_id ?? "", {
      password: "Linked-Strong-1!",
      connection: "Username-Password-Authentication",
    });
    expect(ok.last_password_reset).toBeDefined();
  });

  it("clears an admin block, so the user can sign in again", async () => {
    const { id, email } = await createUser();
    await t.management.users.update(id, { blocked: true });
    const blocked = await passwordGrant(t, email, "Initial-Pass-1!");
    expect(blocked.status).toBe(401);
    expect(blocked.body).toEqual({ error: "unauthorized", error_description: "user is blocked" });
    const updated = await t.management.users.update(id, { password: "Unblocked-Pass-9!" });
    expect(updated.blocked).toBeUndefined();
    expect((await passwordGrant(t, email, "Unblocked-Pass-9!")).status).toBe(200);
  });

  it("ends the user's sessions (an access token from before the change stops working at /userinfo) but not refresh tokens", async () => {
    const { id, email } = await createUser();
    const signIn = await passwordGrant(t, email, "Initial-Pass-1!");
    const offline = await postToken(t, {
      grant_type: "password",
      client_id: "passdesk-demo-reset-app",
      username: email,
      password: "Initial-Pass-1!",
      scope: "openid offline_access",
    });
    const refreshToken = String(((await offline.json()) as Record<string, unknown>)["refresh_token"]);
    const refresh = (): Promise<Response> =>
      postToken(t, {
        grant_type: "refresh_token",
        client_id: "passdesk-demo-reset-app",
        refresh_token: refreshToken,
      });
    expect((await refresh()).status).toBe(200);
    const userinfo = (): Promise<Response> =>
      t.fetch(`${t.tenant.url}/userinfo`, {
        headers: { authorization: `Bearer ${String(signIn.body["access_token"])}` },
      });
    expect((await userinfo()).status).toBe(200);
    await t.management.users.update(id, { password: "After-Revoke-7!" });
    expect((await userinfo()).status).toBe(401);
    // Auth0 ends sessions on a password change but leaves refresh tokens valid (reference §3);
    // revoking them is a separate call (DELETE /users/{id}/refresh-tokens, see sessions.test.ts).
    expect((await refresh()).status).toBe(200);
  });

  it("answers 404 inexistent_user for an unknown user", async () => {
    const error = await expectError(() =>
      t.noRetry.users.update("auth0|000000000000000000000000", { password: "Whatever-Pass-1!" }),
    );
    expect(error.statusCode).toBe(404);
    expect(error.body).toMatchObject({ errorCode: "inexistent_user", message: "The user does not exist." });
  });

  it("the password grant also accepts grant_type=password (default directory)", async () => {
    const { email } = await createUser();
    const response = await t.fetch(`${t.tenant.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: "passdesk-demo-reset-app",
        username: email,
        password: "Initial-Pass-1!",
      }).toString(),
    });
    expect(response.status).toBe(200);
  });
});
