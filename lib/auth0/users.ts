import "server-only";
import { z } from "zod";
import { getManagementApi, type ManagementApi } from "./client";
import { listConnections } from "./connections";
import { Auth0Error, Auth0InvalidRequestError, Auth0NotFoundError, parseResponse } from "./errors";
import { restrictQuery, type ResolvedScope } from "@/lib/scope/clause";
import { buildUserMatchQuery, buildUserSearchQuery, type SearchField } from "./lucene";
import { auth0UserSchema, toUserProfile, toUserSummary, type Auth0User } from "./mappers";
import {
  isWithinSearchCap,
  SEARCH_RESULT_CAP,
  type ConnectionSummary,
  type PageSize,
  type UserProfile,
  type UserSearchResult,
  type UserSort,
} from "./types";

export type SearchUsersParams = {
  field: SearchField;
  text: string;
  connection?: string | undefined;
  sort?: UserSort | undefined;
  /** 1-based (Passdesk's URLs and DTOs); converted to Auth0's 0-based page here. */
  page: number;
  perPage: PageSize;
  /** The operator's scope (lib/scope/resolve): AND-ed with the query; "none" answers empty, no call. */
  scope?: ResolvedScope | undefined;
};

/** Only what the table shows: smaller responses, faster searches. */
const LIST_FIELDS =
  "user_id,name,nickname,email,email_verified,picture,identities,logins_count,last_login,blocked";

const searchResponseSchema = z.object({
  users: z.array(z.unknown()),
  total: z.number().int().nonnegative().optional(),
});

function parseUser(raw: unknown): Auth0User {
  return parseResponse(auth0UserSchema, raw, "a user");
}

/**
 * Searches users. Input is turned into a Lucene query by the builder (lib/auth0/lucene), so
 * the field selector decides the query's structure and the text is only ever data.
 * Throws Auth0InvalidRequestError (`too_long`, `unbalanced_query`, `invalid_paging`, or
 * Auth0's own 400 such as a Lucene syntax error) and the other Auth0Error classes.
 */
export async function searchUsers(
  params: SearchUsersParams,
  api: ManagementApi = getManagementApi(),
): Promise<UserSearchResult> {
  const built = buildUserSearchQuery({
    field: params.field,
    text: params.text,
    connection: params.connection,
  });
  if (!built.ok) {
    throw built.reason === "too_long"
      ? new Auth0InvalidRequestError("The search text is too long.", "too_long")
      : new Auth0InvalidRequestError("The query has unbalanced parentheses or quotes.", "unbalanced_query");
  }
  if (!isWithinSearchCap(params.page, params.perPage)) {
    // Same answer Auth0 gives, without spending a rate-limited call on it.
    throw new Auth0InvalidRequestError(
      `You can only page through the first ${SEARCH_RESULT_CAP} results. Narrow the search.`,
      "invalid_paging",
    );
  }
  const q = restrictQuery(built.q, params.scope ?? { kind: "all" });
  if (q === null) return { users: [], total: 0, page: params.page, perPage: params.perPage, isCapped: false };
  const response = await api.run(
    "users.list",
    async (client, options) => {
      const page = await client.users.list(
        {
          q,
          search_engine: "v3",
          page: params.page - 1,
          per_page: params.perPage,
          include_totals: true,
          fields: LIST_FIELDS,
          include_fields: true,
          ...(params.sort ? { sort: `${params.sort.field}:${params.sort.direction}` } : {}),
        },
        options,
      );
      return page.response;
    },
    { idempotent: true },
  );
  const result = parseResponse(searchResponseSchema, response, "a search result");
  const users = result.users.map((raw) => toUserSummary(parseUser(raw)));
  const total = Math.min(result.total ?? users.length, SEARCH_RESULT_CAP);
  return { users, total, page: params.page, perPage: params.perPage, isCapped: total >= SEARCH_RESULT_CAP };
}

const idsResponseSchema = z.object({ users: z.array(z.object({ user_id: z.string() }).passthrough()) });

/**
 * The ids of the users matching a query built by our own code (lib/scope: `user_id:(…) AND
 * scope`), at most `perPage` (≤ 100) of them, one call, only the user_id field.
 */
export async function listUserIdsMatching(
  q: string,
  perPage: number,
  api: ManagementApi = getManagementApi(),
): Promise<string[]> {
  const response = await api.run(
    "users.list",
    async (client, options) =>
      (
        await client.users.list(
          { q, search_engine: "v3", page: 0, per_page: perPage, include_totals: true, fields: "user_id", include_fields: true },
          options,
        )
      ).response,
    { idempotent: true },
  );
  return parseResponse(idsResponseSchema, response, "a search result").users.map((user) => user.user_id);
}

/** `provider|id`: what a user id looks like. Anything else cannot exist, so it is not sent. */
const USER_ID = /^[^\s|]+\|[^\s]/u;
const MAX_USER_ID_LENGTH = 512;

export function isPlausibleUserId(id: string): boolean {
  return id.length <= MAX_USER_ID_LENGTH && USER_ID.test(id) && !/\p{Cc}/u.test(id);
}

/** The raw Auth0 user, or null when it does not exist (404) or the id is malformed. */
async function fetchUser(id: string, api: ManagementApi): Promise<Auth0User | null> {
  if (!isPlausibleUserId(id)) return null;
  try {
    const raw = await api.run("users.get", (client, options) => client.users.get(id, {}, options), {
      idempotent: true,
    });
    return parseUser(raw);
  } catch (error) {
    if (error instanceof Auth0NotFoundError) return null;
    // Auth0 answers a syntactically invalid id with 400: for a reader that is "no such user".
    if (error instanceof Auth0InvalidRequestError && error.status === 400) return null;
    throw error;
  }
}

/** The connections list if readable; a missing read:connections scope degrades, it does not fail. */
export async function connectionsOrNull(api: ManagementApi): Promise<ConnectionSummary[] | null> {
  try {
    return await listConnections(api);
  } catch (error) {
    if (error instanceof Auth0Error) return null;
    throw error;
  }
}

/** A user's profile, with the database identity and its password policy; null when not found. */
export async function getUser(
  id: string,
  api: ManagementApi = getManagementApi(),
): Promise<UserProfile | null> {
  // A malformed id is refused before any call — also the connections list, which is otherwise
  // loaded alongside the user.
  if (!isPlausibleUserId(id)) return null;
  const [user, connections] = await Promise.all([fetchUser(id, api), connectionsOrNull(api)]);
  return user ? toUserProfile(user, connections) : null;
}

/**
 * Every user with this email (GET /api/v2/users-by-email), with their database identity decided
 * like getUser's. Auth0 matches the address case-insensitively; several users are possible (one
 * per connection). Used by bulk jobs to resolve an uploaded list of emails.
 */
export async function findUsersByEmail(
  email: string,
  api: ManagementApi = getManagementApi(),
): Promise<UserProfile[]> {
  const [raw, connections] = await Promise.all([
    api.run("users.by_email", (client, options) => client.users.listUsersByEmail({ email }, options), {
      idempotent: true,
    }),
    connectionsOrNull(api),
  ]);
  const list = parseResponse(z.array(z.unknown()), raw, "a list of users");
  return list.map((user) => toUserProfile(parseUser(user), connections));
}

/**
 * Whether the user matches an advanced Lucene query, asked as one search
 * `user_id:"<id>" AND (<query>)` (e.g. PROTECTED_USERS_QUERY). Throws Auth0Error when Auth0
 * cannot be asked (the caller then refuses rather than guesses).
 */
export async function userMatchesQuery(
  userId: string,
  query: string,
  api: ManagementApi = getManagementApi(),
): Promise<boolean> {
  const response = await api.run(
    "users.list",
    async (client, options) => {
      const page = await client.users.list(
        { q: buildUserMatchQuery(userId, query), search_engine: "v3", per_page: 1, include_totals: true, fields: "user_id", include_fields: true },
        options,
      );
      return page.response;
    },
    { idempotent: true },
  );
  const result = parseResponse(searchResponseSchema, response, "a search result");
  return result.users.length > 0;
}
