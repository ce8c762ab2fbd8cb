import { fetch, type Agent } from "undici";
import type { ManagementApi } from "@/lib/auth0/client";
import type { LocalTenant } from "./local-tenant";

/** Signs a user in at the local tenant with the password grant (the demo reset app). */
export async function passwordLogin(
  tenant: LocalTenant,
  dispatcher: Agent,
  username: string,
  password: string,
  scope = "openid",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${tenant.url}/oauth/token`, {
    method: "POST",
    dispatcher,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "http://auth0.com/oauth/grant-type/password-realm",
      client_id: "passdesk-demo-reset-app",
      username,
      password,
      realm: "Username-Password-Authentication",
      scope,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The refresh_token grant; 403 invalid_grant once the token was revoked. */
export async function refreshGrant(
  tenant: LocalTenant,
  dispatcher: Agent,
  refreshToken: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${tenant.url}/oauth/token`, {
    method: "POST",
    dispatcher,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "refresh_token",
      client_id: "passdesk-demo-reset-app",
      refresh_token: refreshToken,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let counter = 0;
/** A fresh database user with password `Initial-Pass-1!`. */
export async function createDatabaseUser(
  api: ManagementApi,
  prefix = "support",
): Promise<{ id: string; email: string }> {
  counter += 1;
  const email = `${prefix}.${Date.now().toString(36)}.${counter}@passdesk-test.example`;
  const user = await api.run("users.create", (client) =>
    client.users.create({
      connection: "Username-Password-Authentication",
      email,
      password: "Initial-Pass-1!",
    }),
  );
  return { id: user.user_id ?? "", email };
}
