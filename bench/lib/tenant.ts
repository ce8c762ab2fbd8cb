import { ManagementClient } from "auth0";
import { Agent, fetch as undiciFetch } from "undici";

/** The local tenant's control API and a direct SDK client: the baseline Passdesk is compared to. */

export const CONTROL_TOKEN = "passdesk-demo-control";
export const M2M_CLIENT_ID = "passdesk-demo-m2m";
export const M2M_CLIENT_SECRET = "passdesk-demo-m2m-secret";

export type TenantStats = {
  tokensIssued: number;
  patches: number;
  passwordChanges: number;
  requests: Record<string, number>;
};

export type TenantControl = {
  stats(): Promise<TenantStats>;
  request(method: string, pathname: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
};

export function createTenantControl(tenantUrl: string, caPem: string): TenantControl {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  const request = async (method: string, pathname: string, body?: unknown): Promise<unknown> => {
    const response = await undiciFetch(`${tenantUrl}${pathname}`, {
      method,
      dispatcher,
      headers: { Authorization: `Bearer ${CONTROL_TOKEN}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${pathname} → ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  return {
    request,
    async stats() {
      const raw = (await request("GET", "/__control/stats")) as Partial<TenantStats>;
      return {
        tokensIssued: raw.tokensIssued ?? 0,
        patches: raw.patches ?? 0,
        passwordChanges: raw.passwordChanges ?? 0,
        requests: raw.requests ?? {},
      };
    },
    close: () => dispatcher.close(),
  };
}

/** Management API requests counted by the tenant (routes like `GET /api/v2/users`). */
export function managementRequests(stats: TenantStats): number {
  return Object.entries(stats.requests)
    .filter(([route]) => /^[A-Z]+ \/api\/v2\//.test(route))
    .reduce((sum, [, count]) => sum + count, 0);
}

export type DirectClient = {
  management: ManagementClient;
  /** Calls this client made, so they can be told apart from Passdesk's in the tenant's counters. */
  counts: { tokens: number; managementRequests: number };
  close(): Promise<void>;
};

/** The official SDK, configured the way lib/auth0/client.ts configures it (keep-alive agent, no retries). */
export function createDirectClient(domain: string, caPem: string): DirectClient {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  const counts = { tokens: 0, managementRequests: 0 };
  const countingFetch = ((input: string | URL, init?: Parameters<typeof undiciFetch>[1]) => {
    const url = typeof input === "string" ? input : input.toString();
    if (url.includes("/oauth/token")) counts.tokens += 1;
    else if (url.includes("/api/v2/")) counts.managementRequests += 1;
    return undiciFetch(input, { ...init, dispatcher });
  }) as unknown as typeof fetch;
  const management = new ManagementClient({
    domain,
    clientId: M2M_CLIENT_ID,
    clientSecret: M2M_CLIENT_SECRET,
    fetch: countingFetch,
    maxRetries: 0,
    telemetry: false,
  });
  return { management, counts, close: () => dispatcher.close() };
}
