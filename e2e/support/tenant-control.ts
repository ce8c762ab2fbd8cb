import { readFileSync } from "node:fs";
import path from "node:path";
import { Agent, fetch } from "undici";

/** The e2e tenant's control API (tenant/README.md): counters, faults, settings. */
const CONTROL_TOKEN = "passdesk-demo-control";
const WRITE_ROUTES = [
  "PATCH /api/v2/users/{id}",
  "POST /api/v2/users",
  "DELETE /api/v2/users/{id}",
  "POST /api/v2/tickets/password-change",
  "POST /dbconnections/change_password",
];

export function tenantBaseUrl(): string {
  return `https://localhost:${process.env.E2E_TENANT_PORT ?? "4543"}`;
}

let agent: Agent | undefined;
function tenantAgent(): Agent {
  const dataDir = process.env.PASSDESK_E2E_DATA_DIR;
  if (!dataDir) throw new Error("PASSDESK_E2E_DATA_DIR is not set (run through playwright.config.ts)");
  agent ??= new Agent({ connect: { ca: readFileSync(path.join(dataDir, "tenant", "ca.pem"), "utf8") } });
  return agent;
}

export async function controlRequest(method: string, pathname: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${tenantBaseUrl()}${pathname}`, {
    method,
    dispatcher: tenantAgent(),
    headers: { Authorization: `Bearer ${CONTROL_TOKEN}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${pathname} → ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** `rateLimited`: the 429s the tenant's own rate limiter answered, by route (injected faults not counted). */
export type TenantStats = {
  writes: number;
  tokensIssued: number;
  requests: Record<string, number>;
  rateLimited: Record<string, number>;
};

export async function tenantStats(): Promise<TenantStats> {
  const stats = (await controlRequest("GET", "/__control/stats")) as {
    tokensIssued: number;
    requests: Record<string, number>;
    rateLimited?: Record<string, number>;
  };
  const writes = WRITE_ROUTES.reduce((sum, route) => sum + (stats.requests[route] ?? 0), 0);
  return {
    writes,
    tokensIssued: stats.tokensIssued,
    requests: stats.requests,
    rateLimited: stats.rateLimited ?? {},
  };
}
