import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManagementClient } from "auth0";
import { AuthenticationClient } from "auth0/legacy";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll } from "vitest";
import { DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET, DEMO_RESET_CLIENT_ID } from "../src/demo-credentials.ts";
import { startTenant, type RunningTenant, type TenantOptions } from "../src/server.ts";

export type TestTenant = {
  tenant: RunningTenant;
  dataDir: string;
  agent: Agent;
  /** fetch that trusts the tenant's CA. */
  fetch: typeof globalThis.fetch;
  management: ManagementClient;
  /** Management client without retries, for asserting error responses. */
  noRetry: ManagementClient;
  authentication: AuthenticationClient;
  control(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
};

/**
 * A clock a test moves by hand (starts at the real time): pass `now: clock.now` to
 * startTestTenant and `clock.advance(ms)` instead of sleeping until something expires.
 */
export type ManualClock = { now(): number; advance(ms: number): void };

export function manualClock(start = Date.now()): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

/** A Management API client of the tenant for one M2M application (`maxRetries: 0` for error tests). */
export function managementClientFor(
  t: Pick<TestTenant, "tenant" | "fetch">,
  clientId: string,
  clientSecret: string,
  options: { maxRetries?: number } = {},
): ManagementClient {
  return new ManagementClient({
    domain: t.tenant.domain,
    clientId,
    clientSecret,
    fetch: t.fetch,
    ...options,
  });
}

/** Starts a tenant on a random port with a temp data dir and generous rate limits. */
export async function startTestTenant(options: Partial<TenantOptions> = {}): Promise<TestTenant> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "passdesk-tenant-")));
  const tenant = await startTenant({
    port: 0,
    users: 400,
    rateLimits: { disabled: true },
    ...options,
    dataDir,
  });
  const agent = new Agent({ connect: { ca: tenant.caPem } });
  const fetch = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    })) as unknown as typeof globalThis.fetch;
  const management = managementClientFor({ tenant, fetch }, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
  const noRetry = managementClientFor({ tenant, fetch }, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET, {
    maxRetries: 0,
  });
  const authentication = new AuthenticationClient({
    domain: tenant.domain,
    clientId: DEMO_RESET_CLIENT_ID,
    fetch,
  });
  return {
    tenant,
    dataDir,
    agent,
    fetch,
    management,
    noRetry,
    authentication,
    control: (method, path, body) =>
      fetch(`${tenant.url}/__control${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tenant.controlToken}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    close: async () => {
      await tenant.close();
      await agent.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One tenant for a test file (startTestTenant's options), started before its tests and closed
 * after them. beforeAll fills the object in, so read it inside tests and hooks only.
 */
export function setUpTestTenant(options: Partial<TenantOptions> = {}): TestTenant {
  const t = {} as TestTenant;
  beforeAll(async () => {
    Object.assign(t, await startTestTenant(options));
  });
  afterAll(async () => {
    await t.close?.();
  });
  return t;
}

/** The body of an SDK error (v7 errors carry the parsed response in `body`). */
export function errorBody(error: unknown): Record<string, unknown> {
  return ((error as { body?: Record<string, unknown> }).body ?? {}) as Record<string, unknown>;
}

/** Runs `fn`, which must throw, and returns the error. */
export async function expectError(
  fn: () => Promise<unknown>,
): Promise<{ statusCode?: number; body: Record<string, unknown> }> {
  try {
    await fn();
  } catch (error) {
    return { statusCode: (error as { statusCode?: number }).statusCode, body: errorBody(error) };
  }
  throw new Error("expected the call to fail");
}

/** POST /oauth/token with a JSON body (extra headers, e.g. a user agent, go with it). */
export function postToken(
  t: TestTenant,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return t.fetch(`${t.tenant.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

export async function getToken(t: TestTenant, clientId: string, clientSecret: string): Promise<string> {
  const response = await postToken(t, {
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: clientSecret,
    audience: `${t.tenant.url}/api/v2/`,
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

/** Signs in with the password-realm grant; returns the HTTP status and body. */
export async function passwordGrant(
  t: TestTenant,
  username: string,
  password: string,
  realm = "Username-Password-Authentication",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await postToken(t, {
    grant_type: "http://auth0.com/oauth/grant-type/password-realm",
    client_id: DEMO_RESET_CLIENT_ID,
    username,
    password,
    realm,
    scope: "openid profile email",
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let counter = 0;
/** A unique email per test so tests run in any order. */
export function uniqueEmail(prefix = "test"): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}@passdesk-test.example`;
}

type CreatedUser = Awaited<ReturnType<ManagementClient["users"]["create"]>>;

/** A fresh Username-Password-Authentication user; `user` is what the tenant answered. */
export async function createDatabaseUser(
  t: TestTenant,
  prefix: string,
  password = "Initial-Pass-1!",
): Promise<{ id: string; email: string; user: CreatedUser }> {
  const email = uniqueEmail(prefix);
  const user = await t.management.users.create({
    connection: "Username-Password-Authentication",
    email,
    password,
  });
  return { id: user.user_id ?? "", email, user };
}
