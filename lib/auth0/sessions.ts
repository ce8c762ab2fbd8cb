import "server-only";
import { getManagementApi, type ManagementApi } from "./client";
import { Auth0NotFoundError } from "./errors";
import { runScoped } from "./scopes";
import { isPlausibleUserId } from "./users";

/** What "sign out everywhere" ended, counted from the lists read just before the deletes. */
export type SignOutResult = {
  sessionsEnded: number;
  refreshTokensRevoked: number;
};

/** Checkpoint lists are followed page by page; this bounds a runaway `next` chain. */
const MAX_PAGES = 50;

async function countPages(first: {
  data: unknown[];
  hasNextPage(): boolean;
  getNextPage(): Promise<unknown>;
}): Promise<number> {
  let page = first;
  let count = page.data.length;
  for (let i = 1; i < MAX_PAGES && page.hasNextPage(); i++) {
    page = (await page.getNextPage()) as typeof first;
    count += page.data.length;
  }
  return count;
}

/**
 * Ends all of a user's sessions and revokes all their refresh tokens, for an account takeover:
 * lists both (to tell the operator how many), then `DELETE /api/v2/users/{id}/refresh-tokens`
 * and `DELETE /api/v2/users/{id}/sessions` (scopes read:/delete:sessions,
 * read:/delete:refresh_tokens; Enterprise plans on real Auth0). Auth0 runs the deletes
 * asynchronously (202), so a list read right after may still show them for a moment.
 * Refresh tokens go first: they are what keeps an intruder in after the sessions end.
 * Throws Auth0NotFoundError for an unknown user and Auth0ScopeError naming a missing scope.
 */
export async function signOutEverywhere(
  userId: string,
  api: ManagementApi = getManagementApi(),
): Promise<SignOutResult> {
  if (!isPlausibleUserId(userId)) throw new Auth0NotFoundError("The user does not exist.", "inexistent_user");
  const [sessionsEnded, refreshTokensRevoked] = await Promise.all([
    runScoped(
      api,
      "users.sessions.list",
      ["read:sessions"],
      async (client, options) => countPages(await client.users.sessions.list(userId, { take: 100 }, options)),
      { idempotent: true },
    ),
    runScoped(
      api,
      "users.refreshToken.list",
      ["read:refresh_tokens"],
      async (client, options) =>
        countPages(await client.users.refreshToken.list(userId, { take: 100 }, options)),
      { idempotent: true },
    ),
  ]);
  // Both deletes are idempotent (deleting twice leaves the same state), so retrying is safe.
  await runScoped(
    api,
    "users.refreshToken.delete",
    ["delete:refresh_tokens"],
    (client, options) => client.users.refreshToken.delete(userId, options),
    { idempotent: true },
  );
  await runScoped(
    api,
    "users.sessions.delete",
    ["delete:sessions"],
    (client, options) => client.users.sessions.delete(userId, options),
    { idempotent: true },
  );
  return { sessionsEnded, refreshTokensRevoked };
}
