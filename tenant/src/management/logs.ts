import { ApiError, sendJson } from "../http.ts";
import { LuceneSyntaxError, matchesLucene, parseLucene } from "../lucene/index.ts";
import { booleanParam, integerParam, projectFields } from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import type { LogEvent } from "../types.ts";

/** GET /api/v2/logs — `q` (or the SDK's `search`) in Lucene syntax, newest first by default. */
export async function listLogs({ context, res, url }: RouteRequest): Promise<void> {
  const query = url.searchParams.get("q") ?? url.searchParams.get("search") ?? "";
  let filter: ((log: LogEvent) => boolean) | null = null;
  if (query.trim() !== "") {
    try {
      const node = parseLucene(query);
      filter = (log) => matchesLucene(node, log);
    } catch (error) {
      if (error instanceof LuceneSyntaxError)
        throw new ApiError(400, `Invalid query: ${error.message}`, "invalid_query_string");
      throw error;
    }
  }
  const sort = url.searchParams.get("sort") ?? "date:-1";
  if (!/^[a-z_]+:(1|-1)$/.test(sort))
    throw new ApiError(
      400,
      "Query validation error: 'String does not match pattern' on property sort.",
      "invalid_query_string",
    );
  const ascending = sort.endsWith(":1");
  const all = context.store.logs;
  const matched = filter ? all.filter(filter) : [...all];
  if (!ascending) matched.reverse();

  if (url.searchParams.has("from") || url.searchParams.has("take")) {
    // Checkpoint paging: events after log_id `from`, oldest first (as Auth0).
    const take = integerParam(url, "take", { min: 1, max: 100, fallback: 50 });
    const from = url.searchParams.get("from");
    const chronological = filter ? all.filter(filter) : all;
    const start = from ? chronological.findIndex((l) => l.log_id > from) : 0;
    sendJson(
      res,
      200,
      start < 0 ? [] : chronological.slice(start, start + take).map((l) => projectFields(url, l)),
    );
    return;
  }
  const perPage = integerParam(url, "per_page", { min: 0, max: 100, fallback: 50 });
  const page = integerParam(url, "page", { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
  const start = page * perPage;
  const logs = matched.slice(start, start + perPage).map((l) => projectFields(url, l));
  if (booleanParam(url, "include_totals", false))
    sendJson(res, 200, { start, limit: perPage, length: logs.length, total: matched.length, logs });
  else sendJson(res, 200, logs);
}
