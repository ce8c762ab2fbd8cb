import "server-only";
import { userMatchesQuery, type ManagementApi } from "@/lib/auth0";

/**
 * Which users are protected (PROTECTED_USERS_QUERY, PROTECTED_CONNECTIONS): decided on the
 * server at the moment of the action, from the user just read at Auth0 — never from the browser.
 */
export type ProtectedUsers = {
  /** Advanced Lucene query (validated by lib/env.ts); undefined = no user is protected by query. */
  query: string | undefined;
  /** Connection names; a user with an identity in one of them is protected. */
  connections: readonly string[];
};

export function isProtectionConfigured(protection: ProtectedUsers | undefined): protection is ProtectedUsers {
  return protection !== undefined && (protection.query !== undefined || protection.connections.length > 0);
}

/**
 * Whether the freshly loaded user is protected: an identity in a protected connection, or a
 * match of `user_id:"<id>" AND (<query>)` at Auth0. Throws Auth0Error when Auth0 cannot be
 * asked — the caller refuses then (an unanswered question is no proof the user is unprotected).
 */
export async function isProtectedUser(
  user: { userId: string; identities: readonly { connection: string }[] },
  protection: ProtectedUsers | undefined,
  api: ManagementApi,
): Promise<boolean> {
  if (!isProtectionConfigured(protection)) return false;
  if (user.identities.some((identity) => protection.connections.includes(identity.connection))) return true;
  return protection.query === undefined ? false : userMatchesQuery(user.userId, protection.query, api);
}
