import { ApiError, sendJson } from "../http.ts";
import { LuceneSyntaxError, matchesLucene, parseLucene, type LuceneNode } from "../lucene/index.ts";
import { booleanParam, integerParam, projectFields, sortParam, sortRecords } from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import type { LogEvent } from "../types.ts";

/** Log search never returns more than the first 1,000 matches [D retrieve-log-events]. */
export const LOG_SEARCH_CAP = 1000;

/** Fields `q` may name [D log-search-query-syntax]; anything else is a 400. */
const LOG_FIELDS = new Set(
  "client_id client_name connection connection_id description date hostname ip log_id organization_id user_id user_name user_agent strategy strategy_type type".split(
    " ",
  ),
);
/** Fields a bare term (no `field:`) searches. */
const BARE_TERM_FIELDS = "client_name connection description ip log_id type user_name".split(" ");

function unknownField(node: LuceneNode): string | null {
  switch (node.kind) {
    case "all":
      return null;
    case "bool":
      for (const child of [...node.must, ...node.should, ...node.mustNot]) {
        const found = unknownField(child);
        if (found !== null) return found;
      }
      return null;
    default:
      return node.field !== null && !LOG_FIELDS.has(node.field) ? node.field : null;
  }
}

/** Bare terms search the log's default fields, not the users' ones the parser assumes. */
function withLogDefaults(node: LuceneNode): LuceneNode {
  switch (node.kind) {
    case "all":
    case "range":
    case "exists":
      return node;
    case "bool":
      return {
        kind: "bool",
        must: node.must.map(withLogDefaults),
        should: node.should.map(withLogDefaults),
        mustNot: node.mustNot.map(withLogDefaults),
      };
    case "term":
    case "wildcard":
      if (node.field !== null) return node;
      return {
        kind: "bool",
        must: [],
        mustNot: [],
        should: BARE_TERM_FIELDS.map((field) => ({ ...node, field, path: [field] })),
      };
  }
}

function logFilter(query: string): ((log: LogEvent) => boolean) | null {
  if (query.trim() === "") return null;
  let node: LuceneNode;
  try {
    node = parseLucene(query);
  } catch (error) {
    if (error instanceof LuceneSyntaxError)
      throw new ApiError(
        400,
        `The search query string has an error: ${error.message}`,
        "invalid_query_string",
      );
    throw error;
  }
  const unknown = unknownField(node);
  if (unknown !== null)
    throw new ApiError(
      400,
      `The search query string has an error: unknown field "${unknown}"`,
      "invalid_query_string",
    );
  const compiled = withLogDefaults(node);
  return (log) => matchesLucene(compiled, log);
}

/** Newest first unless `sort` says otherwise; `date` sorts by the log's own order. */
function sorted(url: URL, logs: LogEvent[]): LogEvent[] {
  const spec = sortParam(url) ?? { path: ["date"], direction: -1 as const };
  if (spec.path.length === 1 && spec.path[0] === "date")
    return spec.direction === 1 ? [...logs] : [...logs].reverse();
  return sortRecords([...logs].reverse(), spec);
}

function pageParams(url: URL): { page: number; perPage: number } {
  const perPage = integerParam(url, "per_page", { min: 0, max: 100, fallback: 50 });
  const page = integerParam(url, "page", { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
  return { page, perPage };
}

/**
 * GET /api/v2/logs.
 * - Search mode: `q` (Lucene subset; the SDK's `search` is accepted as an alias), `page`,
 *   `per_page`, `sort`, `fields`, `include_fields`, `include_totals`; first 1,000 matches only.
 * - Checkpoint mode (`from` and/or `take`): every other parameter, `q` included, is ignored;
 *   events after log_id `from` in log_id order, as a plain array with a `Link: rel="next"` header.
 */
export async function listLogs({ context, res, url }: RouteRequest): Promise<void> {
  if (url.searchParams.has("from") || url.searchParams.has("take")) {
    const take = integerParam(url, "take", { min: 1, max: 100, fallback: 50 });
    const from = url.searchParams.get("from") ?? "";
    const all = context.store.logs;
    const start = from === "" ? 0 : all.findIndex((l) => l.log_id > from);
    const page = start < 0 ? [] : all.slice(start, start + take);
    const next = page.at(-1)?.log_id ?? from;
    const nextUrl = new URL(`https://${context.domain}/api/v2/logs`);
    if (next !== "") nextUrl.searchParams.set("from", next);
    nextUrl.searchParams.set("take", String(take));
    sendJson(res, 200, page, { Link: `<${nextUrl.href}>; rel="next"` });
    return;
  }
  const filter = logFilter(url.searchParams.get("q") ?? url.searchParams.get("search") ?? "");
  const { page, perPage } = pageParams(url);
  const matched = sorted(url, filter ? context.store.logs.filter(filter) : context.store.logs).slice(
    0,
    LOG_SEARCH_CAP,
  );
  const start = page * perPage;
  const logs = matched.slice(start, start + perPage).map((l) => projectFields(url, l));
  // Search v3 reports in `total` the size of this page, like `length` [D log-search-query-syntax].
  if (booleanParam(url, "include_totals", false))
    sendJson(res, 200, { start, limit: perPage, length: logs.length, total: logs.length, logs });
  else sendJson(res, 200, logs);
}

/**
 * GET /api/v2/users/{id}/logs: `page`, `per_page`, `sort`, `include_totals`; no `q`.
 * Answers for an unknown (e.g. deleted) user too, with whatever events remain (unconfirmed).
 */
export async function listUserLogs({ context, res, url, params }: RouteRequest): Promise<void> {
  const userId = params[0] ?? "";
  const { page, perPage } = pageParams(url);
  const matched = sorted(
    url,
    context.store.logs.filter((l) => l.user_id === userId),
  ).slice(0, LOG_SEARCH_CAP);
  const start = page * perPage;
  const logs = matched.slice(start, start + perPage);
  if (booleanParam(url, "include_totals", false))
    sendJson(res, 200, { start, limit: perPage, length: logs.length, total: matched.length, logs });
  else sendJson(res, 200, logs);
}
