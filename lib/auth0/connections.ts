import "server-only";
import { z } from "zod";
import { getManagementApi, type ManagementApi } from "./client";
import { malformedResponse, parseResponse } from "./errors";
import { classifyStrategy, toPasswordPolicy } from "./mappers";
import type { ConnectionSummary } from "./types";

/** Connections change rarely; a minute of staleness is fine and saves a call per search. */
export const CONNECTIONS_TTL_MS = 60_000;
/** Safety bound on checkpoint paging (Auth0 tenants have at most a few hundred connections). */
const MAX_CONNECTION_PAGES = 20;

const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  display_name: z.string().optional(),
  strategy: z.string(),
  options: z.record(z.string(), z.unknown()).optional(),
});

export function toConnectionSummary(raw: z.infer<typeof connectionSchema>): ConnectionSummary {
  const type = classifyStrategy(raw.strategy);
  return {
    id: raw.id,
    name: raw.name,
    displayName: raw.display_name ?? raw.name,
    strategy: raw.strategy,
    type,
    passwordPolicy: type === "database" ? toPasswordPolicy(raw.options ?? {}) : null,
  };
}

async function loadConnections(api: ManagementApi): Promise<ConnectionSummary[]> {
  return api.run(
    "connections.list",
    async (client, options) => {
      const found: ConnectionSummary[] = [];
      let page = await client.connections.list({ take: 50 }, options);
      for (let count = 1; ; count++) {
        // The SDK hands a 200 with an unparseable body back as data; insist on the documented shape.
        if (!Array.isArray((page.response as { connections?: unknown }).connections)) {
          throw malformedResponse("a connection list");
        }
        for (const item of page.data) {
          found.push(toConnectionSummary(parseResponse(connectionSchema, item, "a connection")));
        }
        if (!page.hasNextPage() || count >= MAX_CONNECTION_PAGES) break;
        page = await page.getNextPage();
      }
      return found.sort((a, b) => a.name.localeCompare(b.name));
    },
    { idempotent: true },
  );
}

/** Every connection of the tenant, sorted by name; cached for CONNECTIONS_TTL_MS. */
export function listConnections(api: ManagementApi = getManagementApi()): Promise<ConnectionSummary[]> {
  return api.cached("connections", CONNECTIONS_TTL_MS, () => loadConnections(api));
}
