import "server-only";
import { z } from "zod";
import { getManagementApi, type ManagementApi } from "./client";
import { Auth0InvalidRequestError, malformedResponse, parseResponse } from "./errors";
import { runScoped } from "./scopes";
import { isPlausibleUserId } from "./users";

/** Scopes of GET /api/v2/logs (any one). */
export const LOG_SCOPES = ["read:logs", "read:logs_users"] as const;
/** Auth0 serves at most 100 events per request and only the first 1,000 matches of a search. */
export const MAX_LOGS_PER_PAGE = 100;
export const LOG_SEARCH_CAP = 1_000;

/** One tenant log event, as the timeline needs it. Unknown values are null. */
export type TenantLogEvent = {
  logId: string;
  /** ISO-8601. */
  date: string;
  /** Auth0's event type code (`s`, `fp`, `limit_wc`, …), shown raw when unknown to the UI. */
  type: string;
  description: string | null;
  ip: string | null;
  clientId: string | null;
  clientName: string | null;
  connection: string | null;
  userId: string | null;
  userName: string | null;
  userAgent: string | null;
};

export type UserLogPage = {
  events: TenantLogEvent[];
  /** 1-based. */
  page: number;
  perPage: number;
  /** Another page may exist: this one was full and the 1,000-result cap is not reached. */
  hasMore: boolean;
};

export type ListUserLogsParams = {
  /** 1-based. */
  page?: number;
  perPage?: number;
  /** Only these event types (e.g. ["fp","limit_wc"]); all types when absent or empty. */
  types?: readonly string[];
};

const nullableString = z
  .string()
  .nullish()
  .transform((value) => (value === undefined || value === null || value === "" ? null : value));

const logSchema = z
  .object({
    log_id: z.string().optional(),
    _id: z.string().optional(),
    date: z.string(),
    type: z.string(),
    description: nullableString,
    ip: nullableString,
    client_id: nullableString,
    client_name: nullableString,
    connection: nullableString,
    user_id: nullableString,
    user_name: nullableString,
    user_agent: nullableString,
  })
  .passthrough();

const pageSchema = z.object({ logs: z.array(z.unknown()) }).passthrough();

/** A phrase inside Lucene quotes: backslashes and quotes escaped, so the value is only data. */
function phrase(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const TYPE_CODE = /^[a-z_]{1,40}$/;

export function buildUserLogQuery(userId: string, types: readonly string[] = []): string {
  const user = `user_id:${phrase(userId)}`;
  const valid = types.filter((type) => TYPE_CODE.test(type));
  if (valid.length === 0) return user;
  return `${user} AND (${valid.map((type) => `type:${phrase(type)}`).join(" OR ")})`;
}

function toEvent(raw: unknown): TenantLogEvent {
  const parsed = logSchema.safeParse(raw);
  const logId = parsed.success ? (parsed.data.log_id ?? parsed.data._id) : undefined;
  if (!parsed.success || logId === undefined) throw malformedResponse("a log event");
  const log = parsed.data;
  return {
    logId,
    date: log.date,
    type: log.type,
    description: log.description,
    ip: log.ip,
    clientId: log.client_id,
    clientName: log.client_name,
    connection: log.connection,
    userId: log.user_id,
    userName: log.user_name,
    userAgent: log.user_agent,
  };
}

/**
 * A user's recent tenant log events, newest first (`GET /api/v2/logs` with
 * `q=user_id:"…"`, scope read:logs or read:logs_users). The SDK's `logs.list` sends its filter
 * as `search`, which real Auth0 rejects with 400; `q` goes through requestOptions.queryParams.
 * Logs older than the tenant's retention simply are not there (an empty page, not an error).
 */
export async function listUserLogs(
  userId: string,
  params: ListUserLogsParams = {},
  api: ManagementApi = getManagementApi(),
): Promise<UserLogPage> {
  const page = Math.max(1, Math.floor(params.page ?? 1));
  const perPage = Math.min(MAX_LOGS_PER_PAGE, Math.max(1, Math.floor(params.perPage ?? 50)));
  if (!isPlausibleUserId(userId)) return { events: [], page, perPage, hasMore: false };
  if (page * perPage > LOG_SEARCH_CAP)
    throw new Auth0InvalidRequestError(
      `Auth0 searches only the first ${LOG_SEARCH_CAP} log events.`,
      "invalid_paging",
    );
  const response = await runScoped(
    api,
    "logs.list",
    LOG_SCOPES,
    async (client, options) => {
      const result = await client.logs.list(
        { page: page - 1, per_page: perPage, sort: "date:-1", include_totals: true },
        { ...options, queryParams: { q: buildUserLogQuery(userId, params.types) } },
      );
      return result.response;
    },
    { idempotent: true },
  );
  const events = parseResponse(pageSchema, response, "a log page").logs.map(toEvent);
  return { events, page, perPage, hasMore: events.length === perPage && page * perPage < LOG_SEARCH_CAP };
}
