import { readFileSync } from "node:fs";
import path from "node:path";
import { ManagementClient } from "auth0";
import { Agent, fetch as undiciFetch } from "undici";

/**
 * The e2e tests' own Management API client for the local tenant the app runs against (same
 * official SDK, trusting the tenant's CA). Tests create their own users with it, so they run
 * in any order, and delete them afterwards.
 */
export const DATABASE_CONNECTION = "Username-Password-Authentication";

function tenantSettings() {
  const dataDir = process.env.PASSDESK_E2E_DATA_DIR;
  if (!dataDir) throw new Error("PASSDESK_E2E_DATA_DIR is not set (playwright.config.ts sets it)");
  return {
    domain: `localhost:${process.env.E2E_TENANT_PORT ?? "4543"}`,
    caFile: path.join(dataDir, "tenant", "ca.pem"),
  };
}

let client: ManagementClient | undefined;

export function tenantClient(): ManagementClient {
  if (client) return client;
  const { domain, caFile } = tenantSettings();
  const dispatcher = new Agent({ connect: { ca: readFileSync(caFile, "utf8") } });
  const customFetch = ((input: string | URL, init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
  client = new ManagementClient({
    domain,
    clientId: "passdesk-demo-m2m",
    clientSecret: "passdesk-demo-m2m-secret",
    fetch: customFetch,
    telemetry: false,
  });
  return client;
}

export type TestUser = { userId: string; email: string; name: string };

let counter = 0;

/** A unique, searchable marker: lowercase letters only, so prefix search treats it literally. */
export function uniqueMarker(prefix: string): string {
  counter += 1;
  const random = Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 6);
  const stamp = (Date.now() + counter)
    .toString(36)
    .replace(/[0-9]/g, (digit) => "abcdefghij"[Number(digit)] ?? "x");
  return `${prefix}${stamp}${random}`;
}

/** A database user with app_metadata.region set (scoped operators, issue 16). */
export async function createRegionUser(marker: string, region: string): Promise<TestUser> {
  const email = `${marker}.${region}@e2e.passdesk.test`;
  const created = await tenantClient().users.create({
    connection: DATABASE_CONNECTION,
    email,
    password: `E2e-${Math.random().toString(36).slice(2)}-Aa1!`,
    name: `Scope ${marker} ${region}`,
    app_metadata: { region },
    email_verified: true,
  });
  if (!created.user_id) throw new Error("the tenant returned a user without user_id");
  return { userId: created.user_id, email, name: `Scope ${marker} ${region}` };
}

/** The tenant's own record of a user's region. */
export async function regionOf(userId: string): Promise<unknown> {
  const user = await tenantClient().users.get(userId);
  return (user.app_metadata as { region?: unknown } | undefined)?.region;
}

/** Creates a database user; the email and name are unique to the calling test. */
export async function createTestUser(input: {
  email: string;
  name: string;
  givenName?: string;
  familyName?: string;
  blocked?: boolean;
}): Promise<TestUser> {
  const created = await tenantClient().users.create({
    connection: DATABASE_CONNECTION,
    email: input.email,
    password: `E2e-${Math.random().toString(36).slice(2)}-Aa1!`,
    name: input.name,
    ...(input.givenName ? { given_name: input.givenName } : {}),
    ...(input.familyName ? { family_name: input.familyName } : {}),
    ...(input.blocked ? { blocked: true } : {}),
    email_verified: true,
  });
  const userId = created.user_id;
  if (!userId) throw new Error("the tenant returned a user without user_id");
  return { userId, email: input.email.toLowerCase(), name: input.name };
}

export async function deleteTestUsers(users: TestUser[]): Promise<void> {
  await Promise.all(
    users.map((user) =>
      tenantClient()
        .users.delete(user.userId)
        .catch(() => undefined),
    ),
  );
}

/** A seeded user whose primary identity is in `connection` (e.g. google-oauth2, a SAML connection). */
export async function findSeededUser(
  userIdPrefix: string,
): Promise<{ userId: string; name: string; email: string }> {
  const page = await tenantClient().users.list({
    q: `user_id:${userIdPrefix.replace(/[|\\\-:]/g, (c) => `\\${c}`)}*`,
    search_engine: "v3",
    per_page: 1,
  });
  const user = page.data[0];
  if (!user?.user_id || !user.name || !user.email)
    throw new Error(`no seeded user with id prefix ${userIdPrefix}`);
  return { userId: user.user_id, name: user.name, email: user.email };
}
