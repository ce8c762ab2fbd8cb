import "server-only";
import { listConnections } from "@/lib/auth0/connections";
import type { ConnectionType, UserProfile, UserSearchResult } from "@/lib/auth0/types";
import { getUser, searchUsers } from "@/lib/auth0/users";
import { isUserInScope, resolveScope, type ResolvedScope } from "@/lib/scope/resolve";
import type { OperatorScope } from "@/lib/scope/types";
import { parseSort, type UserSearchState } from "@/lib/validations/users";

/**
 * The users directory as pages and route handlers see it: the one hop between them and
 * lib/auth0 (the search, a user's profile for the table's hover prefetch, the connection filter).
 * Auth0 failures are thrown as typed errors; callers map them with lib/users/responses.ts.
 */

/** One entry of the connection filter (a small DTO for the client). */
export type ConnectionOption = { name: string; displayName: string; type: ConnectionType };

/**
 * One page of the users table for a search state (the same state the URL and the API carry),
 * within the operator's scope: already resolved (lib/scope/resolve), or the operator's scope
 * itself (resolved here). A scope that resolves to nobody answers an empty page, no Auth0 call.
 */
export async function searchUserDirectory(
  state: UserSearchState,
  scope: OperatorScope | null | ResolvedScope,
): Promise<UserSearchResult> {
  const resolved = scope !== null && "kind" in scope ? scope : await resolveScope(scope);
  return searchUsers({
    scope: resolved,
    field: state.field,
    text: state.q,
    connection: state.connection || undefined,
    sort: parseSort(state.sort),
    page: state.page,
    perPage: state.perPage,
  });
}

/**
 * A user's profile DTO, or null when Auth0 does not know the id — or when the user is outside
 * the operator's scope (checked now, in parallel with the read): the same answer, so a scoped
 * operator cannot tell an out-of-scope user from one that does not exist.
 */
export async function findUserProfile(userId: string, scope: OperatorScope | null): Promise<UserProfile | null> {
  const [user, isInScope] = await Promise.all([getUser(userId), isUserInScope(scope, userId)]);
  return user && isInScope ? user : null;
}

/** The connection filter's choices; empty when they cannot be read (searching still works). */
export async function listConnectionOptions(): Promise<ConnectionOption[]> {
  try {
    return (await listConnections()).map(({ name, displayName, type }) => ({ name, displayName, type }));
  } catch {
    // Without read:connections the filter is empty; searching still works.
    return [];
  }
}
