import { ApiError, sendJson } from "../http.ts";
import { booleanParam, integerParam, projectFields } from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import type { Connection } from "../types.ts";

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match?.[1])
    throw new ApiError(
      400,
      "Query validation error: 'Invalid value' on property from.",
      "invalid_query_string",
    );
  return Number(match[1]);
}

/**
 * GET /api/v2/connections — three response forms, as Auth0: checkpoint (`from`/`take`, which
 * SDK v7 always uses), offset with totals (`include_totals=true`), or a bare array.
 */
export async function listConnections({ context, res, url }: RouteRequest): Promise<void> {
  const strategies = url.searchParams
    .getAll("strategy")
    .flatMap((s) => s.split(","))
    .filter(Boolean);
  const name = url.searchParams.get("name");
  const matched = context.store.connections.filter(
    (c) => (strategies.length === 0 || strategies.includes(c.strategy)) && (!name || c.name === name),
  );
  const project = (c: Connection): Partial<Connection> => projectFields(url, c);

  if (url.searchParams.has("take") || url.searchParams.has("from")) {
    const take = integerParam(url, "take", { min: 1, max: 100, fallback: 50 });
    const from = url.searchParams.get("from");
    const start = from ? decodeCursor(from) : 0;
    const connections = matched.slice(start, start + take).map(project);
    const end = start + take;
    sendJson(res, 200, { connections, ...(end < matched.length ? { next: encodeCursor(end) } : {}) });
    return;
  }
  const perPage = integerParam(url, "per_page", { min: 0, max: 100, fallback: 50 });
  const page = integerParam(url, "page", { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
  const paged = url.searchParams.has("per_page") || url.searchParams.has("page");
  const start = paged ? page * perPage : 0;
  const slice = paged ? matched.slice(start, start + perPage) : matched;
  if (booleanParam(url, "include_totals", false)) {
    sendJson(res, 200, {
      total: matched.length,
      start,
      limit: paged ? perPage : matched.length,
      connections: slice.map(project),
    });
  } else {
    sendJson(res, 200, slice.map(project));
  }
}

/** GET /api/v2/connections/{id} */
export async function getConnection({ context, res, url, params }: RouteRequest): Promise<void> {
  const connection = context.store.connectionById(params[0] ?? "");
  if (!connection) throw new ApiError(404, "The connection does not exist", "inexistent_connection");
  sendJson(res, 200, projectFields(url, connection));
}
