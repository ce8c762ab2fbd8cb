import "server-only";
import { findUsersByEmail, getUser, searchUsers, type ManagementApi, type UserProfile } from "@/lib/auth0";
import type { ResolvedScope } from "@/lib/scope/resolve";
import { auth0BusyUntil, rateLimitGroupOf } from "@/lib/auth0/busy-gate";
import { BATCH_MAX_VALUES, chunkLookupQueries, lookupKey, lookupUsersChunk } from "@/lib/auth0/lookup";
import { latestRateLimit } from "@/lib/auth0/rate-limit-headers";
import { connectionsOrNull } from "@/lib/auth0/users";
import type { BulkSourceInput } from "@/lib/validations/bulk";
import { parseBulkCsv, type CsvProblem, type CsvRow } from "./csv";
import {
  BULK_SEARCH_MAX_USERS,
  needsDatabaseIdentity,
  type BulkOperation,
  type PreviewRow,
} from "./operations";
import { delayBeforeNextCall } from "./rate-follower";

/**
 * What a bulk job would do, row by row, decided from Auth0 now: matched (a database user),
 * unknown, ambiguous (several users share the email), duplicate (a user already listed above)
 * or not_database (social/enterprise only: no password here to reset — password operations
 * only; sign out everywhere matches every user). Nothing is written.
 *
 * A CSV is looked up in batches (lib/auth0/lookup.ts: up to 100 emails or ids per search,
 * paced by Auth0's x-ratelimit-* headers): 50,000 rows are ~500 calls instead of 50,000.
 * `lookup: "each"` asks users-by-email / GET users/{id} row by row — the reference the batched
 * result is compared with (tests, bench); it reads no search index, so it also sees users
 * created moments ago.
 */

export type PreviewOptions = {
  lookup?: "batch" | "each";
  /** Values per batched search (default and maximum: lib/auth0/lookup.ts BATCH_MAX_VALUES). */
  valuesPerQuery?: number;
  /** A search source for a scoped requester: the query AND their scope (lib/scope). */
  searchScope?: ResolvedScope;
};

export type PreviewResult =
  | { ok: true; rows: PreviewRow[]; sourceLabel: string }
  | { ok: false; problem: CsvProblem | { code: "search_failed" } };

/** Lookups in flight at once: Auth0's users:read bucket is shared with every operator. */
const LOOKUP_CONCURRENCY = 4;
const SEARCH_PAGE_SIZE = 100;

async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

type Found = { status: "matched" | "unknown" | "ambiguous" | "not_database"; user: UserProfile | null };

function judge(users: readonly UserProfile[], operation: BulkOperation): Found {
  if (users.length === 0) return { status: "unknown", user: null };
  if (users.length > 1) return { status: "ambiguous", user: null };
  const user = users[0] as UserProfile;
  return {
    status: user.databaseIdentity || !needsDatabaseIdentity(operation) ? "matched" : "not_database",
    user,
  };
}

/** Marks the second and later rows naming the same user as duplicates. */
function markDuplicates(rows: PreviewRow[]): PreviewRow[] {
  const seen = new Set<string>();
  return rows.map((row) => {
    if (!row.userId) return row;
    if (seen.has(row.userId)) return { ...row, status: "duplicate" };
    seen.add(row.userId);
    return row;
  });
}

const SEARCH_GROUP = rateLimitGroupOf("users.list");

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Paces the batched lookups by what Auth0 last said for the users:read bucket: one decision at
 * a time, calls of the other slots counted as already taken from the bucket.
 */
function searchPacer(): () => Promise<void> {
  let turn: Promise<void> = Promise.resolve();
  return () => {
    turn = turn.then(async () => {
      const blocked = auth0BusyUntil(SEARCH_GROUP);
      await sleep(
        delayBeforeNextCall({
          now: Date.now(),
          lastStartAt: null,
          maxRps: 0,
          observations: [latestRateLimit(SEARCH_GROUP)],
          blockedUntil: blocked ? blocked.getTime() : null,
          inFlight: LOOKUP_CONCURRENCY - 1,
        }),
      );
    });
    return turn;
  };
}

/** Every row's users, row by row (users-by-email, GET users/{id}). */
async function lookupEach(
  api: ManagementApi,
  column: "email" | "user_id",
  rows: CsvRow[],
): Promise<UserProfile[][]> {
  return mapConcurrently(rows, LOOKUP_CONCURRENCY, async (row) => {
    if (column === "email") return findUsersByEmail(row.value, api);
    const user = await getUser(row.value, api);
    return user ? [user] : [];
  });
}

/** Every row's users, in batched searches. */
async function lookupBatched(
  api: ManagementApi,
  column: "email" | "user_id",
  rows: CsvRow[],
  valuesPerQuery?: number,
): Promise<UserProfile[][]> {
  const connections = await connectionsOrNull(api);
  const pace = searchPacer();
  const found = new Map<string, UserProfile[]>();
  const chunks = chunkLookupQueries(
    column,
    rows.map((row) => row.value),
    valuesPerQuery === undefined ? {} : { maxValues: Math.min(valuesPerQuery, BATCH_MAX_VALUES) },
  );
  await mapConcurrently(chunks, LOOKUP_CONCURRENCY, async (chunk) => {
    for (const [key, users] of await lookupUsersChunk(api, column, chunk.values, connections, pace))
      found.set(key, users);
  });
  return rows.map((row) => found.get(lookupKey(column, row.value)) ?? []);
}

async function previewCsv(
  api: ManagementApi,
  column: "email" | "user_id",
  rows: CsvRow[],
  operation: BulkOperation,
  options: PreviewOptions,
): Promise<PreviewRow[]> {
  const users =
    options.lookup === "each"
      ? await lookupEach(api, column, rows)
      : await lookupBatched(api, column, rows, options.valuesPerQuery);
  return markDuplicates(
    rows.map((row, index) => {
      const { status, user } = judge(users[index] ?? [], operation);
      return {
        position: row.line,
        input: row.value,
        status,
        userId: user?.userId ?? null,
        connection: user?.databaseIdentity?.connection ?? user?.connection ?? null,
      };
    }),
  );
}

async function previewSearch(
  api: ManagementApi,
  query: string,
  operation: BulkOperation,
  scope: ResolvedScope | undefined,
): Promise<PreviewRow[]> {
  const rows: PreviewRow[] = [];
  for (let page = 1; rows.length < BULK_SEARCH_MAX_USERS; page++) {
    const result = await searchUsers(
      { field: "lucene", text: query, page, perPage: SEARCH_PAGE_SIZE, scope },
      api,
    );
    for (const user of result.users) {
      rows.push({
        position: rows.length + 1,
        input: user.userId,
        // The item re-reads the user before acting; the primary identity is a good preview.
        status:
          user.connectionType === "database" || !needsDatabaseIdentity(operation)
            ? "matched"
            : "not_database",
        userId: user.userId,
        connection: user.connection,
      });
    }
    if (result.users.length < SEARCH_PAGE_SIZE || page * SEARCH_PAGE_SIZE >= result.total) break;
  }
  return markDuplicates(rows.slice(0, BULK_SEARCH_MAX_USERS));
}

/**
 * Throws Auth0Error when Auth0 cannot be asked (the action maps it). `searchScope`: the
 * requester's resolved scope, AND-ed with a search source (lib/bulk/scope.ts does the rest).
 */
export async function previewBulkSource(
  api: ManagementApi,
  source: BulkSourceInput,
  operation: BulkOperation = "password.reset_email",
  options: PreviewOptions = {},
): Promise<PreviewResult> {
  if (source.kind === "search") {
    return {
      ok: true,
      rows: await previewSearch(api, source.query, operation, options.searchScope),
      sourceLabel: source.query,
    };
  }
  const bytes = Buffer.from(source.contentBase64, "base64");
  const parsed = parseBulkCsv(bytes);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    rows: await previewCsv(api, parsed.column, parsed.rows, operation, options),
    sourceLabel: source.fileName,
  };
}
