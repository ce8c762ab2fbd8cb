import { Agent, fetch } from "undici";
import { afterAll, beforeAll } from "vitest";
import { createManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { startLocalTenant, type LocalTenant } from "./local-tenant";

/** One local tenant for a test file, with the demo M2M client and the read-only one. */
export type SupportTenant = {
  tenant: LocalTenant;
  /** Trusts the tenant's CA, for calls the tests make themselves. */
  dispatcher: Agent;
  api: ManagementApi;
  readonlyApi: ManagementApi;
};

/**
 * Starts a local tenant with `users` demo users (rate limits off) before the file's tests and
 * closes it after them. The fields are filled in by beforeAll: read them inside tests only.
 */
export function setUpSupportTenant(users: number): SupportTenant {
  const support = {} as SupportTenant;
  beforeAll(async () => {
    support.tenant = await startLocalTenant(users);
    support.dispatcher = new Agent({ connect: { ca: support.tenant.caPem } });
    await support.tenant.control("PUT", "/__control/rate-limits", { disabled: true });
    const config = { domain: support.tenant.domain, caPem: support.tenant.caPem, timeoutMs: 5_000 };
    support.api = createManagementApi({
      ...config,
      clientId: "passdesk-demo-m2m",
      clientSecret: "passdesk-demo-m2m-secret",
    });
    support.readonlyApi = createManagementApi({
      ...config,
      clientId: "passdesk-demo-readonly",
      clientSecret: "passdesk-demo-readonly-secret",
    });
  });
  afterAll(async () => {
    await support.api?.close();
    await support.readonlyApi?.close();
    await support.dispatcher?.close();
    await support.tenant?.close();
  });
  return support;
}

type TokenAnswer = { status: number; body: Record<string, unknown> };

/** POST /oauth/token as the demo reset app. */
async function tokenRequest(support: SupportTenant, grant: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(`${support.tenant.url}/oauth/token`, {
    method: "POST",
    dispatcher: support.dispatcher,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...grant, client_id: "passdesk-demo-reset-app" }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Signs a user in at the local tenant with the password grant (the demo reset app). */
export function passwordLogin(
  support: SupportTenant,
  username: string,
  password: string,
  scope = "openid",
): Promise<TokenAnswer> {
  return tokenRequest(support, {
    grant_type: "http://auth0.com/oauth/grant-type/password-realm",
    username,
    password,
    realm: "Username-Password-Authentication",
    scope,
  });
}

/** The refresh_token grant; 403 invalid_grant once the token was revoked. */
export function refreshGrant(support: SupportTenant, refreshToken: string): Promise<TokenAnswer> {
  return tokenRequest(support, { grant_type: "refresh_token", refresh_token: refreshToken });
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
