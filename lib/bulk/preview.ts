import "server-only";
import { findUsersByEmail, getUser, searchUsers, type ManagementApi, type UserProfile } from "@/lib/auth0";
import type { ResolvedScope } from "@/lib/scope/resolve";
import type { BulkSourceInput } from "@/lib/validations/bulk";
import { parseBulkCsv, type CsvProblem, type CsvRow } from "./csv";
import { BULK_SEARCH_MAX_USERS, needsDatabaseIdentity, type BulkOperation, type PreviewRow } from "./operations";

/**
 * What a bulk job would do, row by row, decided from Auth0 now: matched (a database user),
 * unknown, ambiguous (several users share the email), duplicate (a user already listed above)
 * or not_database (social/enterprise only: no password here to reset — password operations
 * only; sign out everywhere matches every user). Nothing is written.
 */

export type PreviewResult =
  | { ok: true; rows: PreviewRow[]; sourceLabel: string }
  | { ok: false; problem: CsvProblem | { code: "search_failed" } };

/** Lookups in flight at once: Auth0's users:read bucket is shared with every operator. */
const LOOKUP_CONCURRENCY = 4;
const SEARCH_PAGE_SIZE = 100;

async function mapConcurrently<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
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
  return { status: user.databaseIdentity || !needsDatabaseIdentity(operation) ? "matched" : "not_database", user };
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

async function previewCsv(
  api: ManagementApi,
  column: "email" | "user_id",
  rows: CsvRow[],
  operation: BulkOperation,
): Promise<PreviewRow[]> {
  const found = await mapConcurrently(rows, LOOKUP_CONCURRENCY, async (row) => {
    if (column === "user_id") {
      const user = await getUser(row.value, api);
      return judge(user ? [user] : [], operation);
    }
    return judge(await findUsersByEmail(row.value, api), operation);
  });
  return markDuplicates(
    rows.map((row, index) => {
      const { status, user } = found[index] as Found;
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
    const result = await searchUsers({ field: "lucene", text: query, page, perPage: SEARCH_PAGE_SIZE, scope }, api);
    for (const user of result.users) {
      rows.push({
        position: rows.length + 1,
        input: user.userId,
        // The item re-reads the user before acting; the primary identity is a good preview.
        status: user.connectionType === "database" || !needsDatabaseIdentity(operation) ? "matched" : "not_database",
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
  searchScope?: ResolvedScope,
): Promise<PreviewResult> {
  if (source.kind === "search") {
    return { ok: true, rows: await previewSearch(api, source.query, operation, searchScope), sourceLabel: source.query };
  }
  const bytes = Buffer.from(source.contentBase64, "base64");
  const parsed = parseBulkCsv(bytes);
  if (!parsed.ok) return parsed;
  return { ok: true, rows: await previewCsv(api, parsed.column, parsed.rows, operation), sourceLabel: source.fileName };
}
