import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll } from "vitest";
import { createManagementApi, type ManagementApi } from "@/lib/auth0";
import { createAuthenticationApi, type AuthenticationApi } from "@/lib/auth0/password-operations";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import type { RequestMeta } from "@/lib/request-meta";
import type { RunningTenant } from "../auth0/local-tenant";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { OperatorRole } from "@/lib/generated/prisma/enums";

/**
 * The real thing for the password services: an in-process local tenant over HTTPS and a fresh
 * in-memory PGlite (or, with `postgresUrl`, a private schema on that PostgreSQL server). The tenant is a separate program (its own tsconfig), so it is loaded by path
 * and typed here only as far as these tests use it.
 */
type StartTenant = (options: {
  port: number;
  dataDir: string;
  users: number;
  persist: boolean;
  rateLimits: { disabled: boolean };
}) => Promise<RunningTenant>;

const TENANT_MODULE = "../../../tenant/src/server.ts";

export const M2M = { clientId: "passdesk-demo-m2m", clientSecret: "passdesk-demo-m2m-secret" } as const;
export const RESET_CLIENT_ID = "passdesk-demo-reset-app";
export const DATABASE_CONNECTION = "Username-Password-Authentication";
export const SEED_PASSWORD = "Passdesk-Seed-1!";

export type Stats = {
  patches: number;
  passwordChanges: number;
  emailsSent: number;
  requests: Record<string, number>;
};

export type Harness = {
  tenant: RunningTenant;
  database: TestDatabase;
  api: ManagementApi;
  auth: AuthenticationApi;
  deps: DangerZoneDeps;
  operator: OperatorIdentity;
  meta: RequestMeta;
  fetch: typeof globalThis.fetch;
  stats(): Promise<Stats>;
  control(method: string, path: string, body?: unknown): Promise<Response>;
  /** Tries the tenant's password-realm grant; true when the password is accepted. */
  canSignIn(email: string, password: string, connection?: string): Promise<boolean>;
  /** Creates a fresh database user and returns its id. */
  createUser(email: string, password: string, connection?: string): Promise<string>;
  /** The id of a seeded user by email. */
  findUserId(email: string): Promise<string>;
  close(): Promise<void>;
};

export async function startHarness(options: { postgresUrl?: string } = {}): Promise<Harness> {
  const { startTenant } = (await import(/* @vite-ignore */ TENANT_MODULE)) as { startTenant: StartTenant };
  const dataDir = await mkdtemp(join(tmpdir(), "passdesk-dz-"));
  const tenant = await startTenant({
    port: 0,
    dataDir,
    users: 60,
    persist: false,
    rateLimits: { disabled: true },
  });
  const database = await createTestDatabase(options);
  const config = { domain: tenant.domain, ...M2M, caPem: tenant.caPem, timeoutMs: 10_000 };
  const api = createManagementApi(config);
  const auth = createAuthenticationApi(config);
  const operatorRow = await database.prisma.operator
    .create({
      data: { email: "support@passdesk.test", name: "Support", role: "SUPPORT", passwordHash: "not-used" },
      select: identitySelect,
    })
    .then(toOperatorIdentity);
  // No idle keep-alive on the test's own client: a socket the tenant closed during a slow step
  // (a fresh PGlite takes seconds) would otherwise be reused and reset.
  const agent = new Agent({ connect: { ca: tenant.caPem }, pipelining: 0 });
  const fetch = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    })) as unknown as typeof globalThis.fetch;
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${tenant.url}/__control${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tenant.controlToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    tenant,
    database,
    api,
    auth,
    deps: { db: database.prisma, api, auth, resetClientId: RESET_CLIENT_ID, resultUrlHosts: [] },
    operator: operatorRow,
    meta: { requestId: "req-integration", ip: "198.51.100.7", userAgent: "vitest" },
    fetch,
    control,
    async stats() {
      return (await (await control("GET", "/stats")).json()) as Stats;
    },
    async canSignIn(email, password, connection = DATABASE_CONNECTION) {
      const response = await fetch(`${tenant.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "http://auth0.com/oauth/grant-type/password-realm",
          client_id: RESET_CLIENT_ID,
          username: email,
          password,
          realm: connection,
          scope: "openid",
        }),
      });
      await response.body?.cancel();
      return response.status === 200;
    },
    async createUser(email, password, connection = DATABASE_CONNECTION) {
      const created = await api.run("test.create_user", (client) =>
        client.users.create({ connection, email, password, email_verified: true, name: "Test Person" }),
      );
      return (created as { user_id: string }).user_id;
    },
    async findUserId(email) {
      const page = await api.run("test.find", (client) =>
        client.users.list({ q: `email:"${email}"`, search_engine: "v3" }),
      );
      const id = (page.data[0] as { user_id?: string } | undefined)?.user_id;
      if (!id) throw new Error(`no seeded user ${email}`);
      return id;
    },
    async close() {
      await api.close();
      await auth.close();
      await agent.close();
      await database.close();
      await tenant.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The harness for one test file: started before its tests, closed after them. beforeAll fills
 * the object in, so read it inside tests and hooks only.
 */
export function setUpHarness(options: { postgresUrl?: string } = {}): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await startHarness(options));
  });
  afterAll(async () => {
    await h.close?.();
  });
  return h;
}

/** Makes addresses at `domain` that no earlier call of this file made: one fresh user each. */
export function emailsAt(domain: string): (prefix: string) => string {
  let counter = 0;
  return (prefix) => {
    counter += 1;
    return `${prefix}-${counter}-${Date.now().toString(36)}@${domain}`;
  };
}

/** Every row of every table as text: for "the secret appears nowhere in the database". */
export async function dumpDatabase(database: TestDatabase): Promise<string> {
  const tables = ["AuditEvent", "IdempotencyKey", "Operator", "AuditChainHead", "SignInFailure"];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await database.prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${table}" t`,
    );
    parts.push(...rows.map((row) => row.row));
  }
  return parts.join("\n");
}

/**
 * An operator row for a test (no password: the services take the identity, not a sign-in).
 * `scope` null or absent: the whole tenant. Unique `email` is the caller's.
 */
export async function insertOperator(
  prisma: TestDatabase["prisma"],
  operator: { email: string; role: OperatorRole; name?: string; scope?: Prisma.InputJsonValue | null },
): Promise<OperatorIdentity> {
  const { email, role, name = email, scope = null } = operator;
  return prisma.operator
    .create({
      data: { email, name, role, passwordHash: "not-used", ...(scope === null ? {} : { scope }) },
      select: identitySelect,
    })
    .then(toOperatorIdentity);
}

export function newKey(): string {
  return crypto.randomUUID();
}
