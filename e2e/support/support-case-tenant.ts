import { expect, request, type APIRequestContext } from "@playwright/test";
import { testPassword } from "./fixtures";

/**
 * The e2e specs' side door to the local tenant: create users (verified or not, blocked or not),
 * read a user's record, try passwords with the password grant (which writes the sign-in logs),
 * read the outbox and the request counters, and steer it through the control API. A test-side
 * client only (the tenant's certificate comes from its own local CA).
 */
const TENANT_PORT = Number(process.env.E2E_TENANT_PORT ?? 4543);
const TENANT_URL = `https://localhost:${TENANT_PORT}`;
const M2M = { client_id: "passdesk-demo-m2m", client_secret: "passdesk-demo-m2m-secret" };
const RESET_CLIENT_ID = "passdesk-demo-reset-app";
const CONTROL_TOKEN = "passdesk-demo-control";
export const DATABASE_CONNECTION = "Username-Password-Authentication";

export type CaseTenant = {
  api: APIRequestContext;
  createUser(
    email: string,
    options?: { password?: string; verified?: boolean; blocked?: boolean },
  ): Promise<string>;
  /** The user's record as the tenant keeps it (changes move `updated_at`). */
  userRecord(email: string): Promise<Record<string, unknown>>;
  findUserId(email: string): Promise<string>;
  /** Status of a password-realm grant (200 ok, 403 wrong password, 429 locked). */
  signIn(email: string, password: string): Promise<number>;
  canSignIn(email: string, password: string): Promise<boolean>;
  /** The newest first. */
  outbox(email: string): Promise<{ resetLink: string; sentAt: string }[]>;
  /** The tenant's counters (GET /__control/stats). */
  stats(): Promise<{ patches: number; emailsSent: number; requests: Record<string, number> }>;
  /** A control API call (tenant/README.md); its JSON answer, or null for 204. */
  control(method: "PUT" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown>;
  dispose(): Promise<void>;
};

export async function openCaseTenant(): Promise<CaseTenant> {
  const api = await request.newContext({ baseURL: TENANT_URL, ignoreHTTPSErrors: true });
  let token: string | undefined;
  async function bearer(): Promise<string> {
    if (token) return token;
    const response = await api.post("/oauth/token", {
      data: {
        grant_type: "client_credentials",
        ...M2M,
        audience: `https://localhost:${TENANT_PORT}/api/v2/`,
      },
    });
    expect(response.status()).toBe(200);
    token = ((await response.json()) as { access_token: string }).access_token;
    return token;
  }
  async function userRecord(email: string): Promise<Record<string, unknown>> {
    const response = await api.get(`/api/v2/users-by-email?email=${encodeURIComponent(email)}`, {
      headers: { authorization: `Bearer ${await bearer()}` },
    });
    const users = (await response.json()) as Record<string, unknown>[];
    if (!users[0]) throw new Error(`no user ${email} at the tenant`);
    return users[0];
  }
  async function signIn(email: string, password: string): Promise<number> {
    const response = await api.post("/oauth/token", {
      data: {
        grant_type: "http://auth0.com/oauth/grant-type/password-realm",
        client_id: RESET_CLIENT_ID,
        username: email,
        password,
        realm: DATABASE_CONNECTION,
        scope: "openid",
      },
    });
    return response.status();
  }
  return {
    api,
    userRecord,
    async findUserId(email) {
      const id = (await userRecord(email)).user_id;
      if (typeof id !== "string") throw new Error(`no user ${email} at the tenant`);
      return id;
    },
    signIn,
    canSignIn: async (email, password) => (await signIn(email, password)) === 200,
    async stats() {
      const response = await api.get("/__control/stats", {
        headers: { authorization: `Bearer ${CONTROL_TOKEN}` },
      });
      expect(response.ok()).toBe(true);
      return (await response.json()) as {
        patches: number;
        emailsSent: number;
        requests: Record<string, number>;
      };
    },
    async createUser(email, options = {}) {
      const data = {
        connection: DATABASE_CONNECTION,
        email,
        password: options.password ?? testPassword(),
        email_verified: options.verified ?? true,
        name: `Case ${email.split("@")[0]}`,
        ...(options.blocked ? { blocked: true } : {}),
      };
      let response = await api.post("/api/v2/users", {
        headers: { authorization: `Bearer ${await bearer()}` },
        data,
      });
      // The tenant's users:write limit is shared by every spec running at once (a bulk spec creates
      // 200 users): on a 429, wait until the tenant says its bucket refills, as Auth0's clients do.
      for (let attempt = 0; response.status() === 429 && attempt < 20; attempt++) {
        const resetAt = Number(response.headers()["x-ratelimit-reset"] ?? 0) * 1000;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(Math.max(resetAt - Date.now(), 100), 5_000)),
        );
        response = await api.post("/api/v2/users", {
          headers: { authorization: `Bearer ${await bearer()}` },
          data,
        });
      }
      expect(response.status()).toBe(201);
      return ((await response.json()) as { user_id: string }).user_id;
    },
    async outbox(email) {
      const response = await api.get(`/outbox.json?to=${encodeURIComponent(email)}`);
      return (await response.json()) as { resetLink: string; sentAt: string }[];
    },
    async control(method, controlPath, body) {
      const response = await api.fetch(`/__control${controlPath}`, {
        method,
        headers: { authorization: `Bearer ${CONTROL_TOKEN}` },
        ...(body === undefined ? {} : { data: body }),
      });
      expect(response.ok()).toBe(true);
      return response.status() === 204 ? null : ((await response.json()) as unknown);
    },
    dispose: () => api.dispose(),
  };
}

export function profileUrl(userId: string): string {
  return `/users/${encodeURIComponent(userId)}`;
}
