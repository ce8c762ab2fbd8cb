import "server-only";
import { z } from "zod";
import type { ManagementApi } from "./client";
import { parseResponse } from "./errors";
import { quoteLucenePhrase } from "./lucene";
import { auth0UserSchema, toUserProfile } from "./mappers";
import { SEARCH_RESULT_CAP, type ConnectionSummary, type UserProfile } from "./types";

/**
 * Many users by email or by user id in few calls (bulk job previews of up to 50,000 CSV rows):
 * `GET /api/v2/users?q=email:("a" OR "b" …)` (or `user_id:(…)`), search engine v3, in chunks.
 * Each answer is matched back to its input exactly as the one-by-one endpoints would:
 * `email` case-insensitively and whole (users-by-email), `user_id` exactly (GET users/{id}).
 *
 * Limits: Auth0 serves at most 100 users a page and 1,000 per search (a chunk that reaches
 * the cap is split and asked again); it documents no limit on `q`'s length, so a chunk is
 * kept to BATCH_MAX_VALUES values and BATCH_MAX_QUERY_LENGTH characters (URLs stay far below
 * the 8 KB many HTTP front ends accept). Unlike users-by-email, search reads Auth0's index,
 * which may lag a few seconds behind writes: a user created moments ago can be missing.
 */

export const BATCH_MAX_VALUES = 100;
export const BATCH_MAX_QUERY_LENGTH = 4_000;
const PAGE_SIZE = 100;

export type LookupField = "email" | "user_id";

export type LookupChunk = { q: string; values: string[] };

/** The key an input is matched by: emails case-insensitively, ids exactly. */
export function lookupKey(field: LookupField, value: string): string {
  return field === "email" ? value.toLowerCase() : value;
}

function queryOf(field: LookupField, values: readonly string[]): string {
  return `${field}:(${values.map(quoteLucenePhrase).join(" OR ")})`;
}

/** Splits values (distinct by their key) into queries of at most `maxValues` values and `maxLength` characters. Pure. */
export function chunkLookupQueries(
  field: LookupField,
  values: readonly string[],
  limits: { maxValues?: number; maxLength?: number } = {},
): LookupChunk[] {
  const maxValues = limits.maxValues ?? BATCH_MAX_VALUES;
  const maxLength = limits.maxLength ?? BATCH_MAX_QUERY_LENGTH;
  const chunks: LookupChunk[] = [];
  const seen = new Set<string>();
  let current: string[] = [];
  // `field:(` + `)`, then each value quoted, joined by " OR ".
  let length = field.length + 3;
  for (const value of values) {
    const key = lookupKey(field, value);
    if (seen.has(key)) continue;
    seen.add(key);
    const added = quoteLucenePhrase(value).length + (current.length > 0 ? 4 : 0);
    if (current.length > 0 && (current.length >= maxValues || length + added > maxLength)) {
      chunks.push({ q: queryOf(field, current), values: current });
      current = [];
      length = field.length + 3;
    }
    current.push(value);
    length += quoteLucenePhrase(value).length + (current.length > 1 ? 4 : 0);
  }
  if (current.length > 0) chunks.push({ q: queryOf(field, current), values: current });
  return chunks;
}

const pageSchema = z.object({ users: z.array(z.unknown()), total: z.number().int().nonnegative().optional() });

/**
 * Looks one chunk up; every input's key → its users (none: unknown, several: ambiguous).
 * `beforeCall` runs before each Management API call (the caller's pacing). Throws Auth0Error.
 */
export async function lookupUsersChunk(
  api: ManagementApi,
  field: LookupField,
  values: readonly string[],
  connections: ConnectionSummary[] | null,
  beforeCall: () => Promise<void> = async () => undefined,
): Promise<Map<string, UserProfile[]>> {
  const found = new Map<string, UserProfile[]>(values.map((value) => [lookupKey(field, value), []]));
  const q = queryOf(field, values);
  for (let page = 0; ; page++) {
    await beforeCall();
    const response = await api.run(
      "users.list",
      async (client, options) =>
        (await client.users.list({ q, search_engine: "v3", page, per_page: PAGE_SIZE, include_totals: true }, options)).response,
      { idempotent: true },
    );
    const result = parseResponse(pageSchema, response, "a search result");
    const total = result.total ?? result.users.length;
    if (total >= SEARCH_RESULT_CAP && values.length > 1) {
      // More matches than Auth0 serves for one search: ask for each half on its own.
      const half = Math.ceil(values.length / 2);
      const [first, second] = await Promise.all([
        lookupUsersChunk(api, field, values.slice(0, half), connections, beforeCall),
        lookupUsersChunk(api, field, values.slice(half), connections, beforeCall),
      ]);
      return new Map([...first, ...second]);
    }
    for (const raw of result.users) {
      const user = toUserProfile(parseResponse(auth0UserSchema, raw, "a user"), connections);
      const key = field === "email" ? (user.email === null ? null : lookupKey(field, user.email)) : user.userId;
      // Only whole matches count (a phrase search could match more in other engines).
      if (key !== null) found.get(key)?.push(user);
    }
    if (result.users.length < PAGE_SIZE || (page + 1) * PAGE_SIZE >= Math.min(total, SEARCH_RESULT_CAP)) break;
  }
  return found;
}
