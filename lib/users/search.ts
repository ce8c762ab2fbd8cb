import "server-only";
import { listConnections } from "@/lib/auth0/connections";
import type { ConnectionType, UserProfile, UserSearchResult } from "@/lib/auth0/types";
import { getUser, searchUsers } from "@/lib/auth0/users";
import { parseSort, type UserSearchState } from "@/lib/validations/users";

/**
 * The users directory as pages and route handlers see it: the one hop between them and
 * lib/auth0 (the search, a user's profile for the table's hover prefetch, the connection filter).
 * Auth0 failures are thrown as typed errors; callers map them with lib/users/responses.ts.
 */

/** One entry of the connection filter (a small DTO for the client). */
export type ConnectionOption = { name: string; displayName: string; type: ConnectionType };

/** One page of the users table for a search state (the same state the URL and the API carry). */
export function searchUserDirectory(state: UserSearchState): Promise<UserSearchResult> {
  return searchUsers({
    field: state.field,
    text: state.q,
    connection: state.connection || undefined,
    sort: parseSort(state.sort),
    page: state.page,
    perPage: state.perPage,
  });
}

/** A user's profile DTO, or null when Auth0 does not know the id. */
export function findUserProfile(userId: string): Promise<UserProfile | null> {
  return getUser(userId);
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
