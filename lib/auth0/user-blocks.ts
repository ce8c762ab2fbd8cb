import "server-only";
import { z } from "zod";
import { getManagementApi, type ManagementApi } from "./client";
import { Auth0NotFoundError, Auth0UnavailableError } from "./errors";
import { withScopeCheck } from "./scopes";
import { isPlausibleUserId } from "./users";

/** One brute-force block: this identifier may not sign in from this IP (all IPs when `ip` is null). */
export type UserBlock = {
  identifier: string;
  ip: string | null;
  connection: string | null;
};

const blocksSchema = z.object({
  blocked_for: z
    .array(
      z
        .object({
          identifier: z.string(),
          ip: z.string().nullish(),
          connection: z.string().nullish(),
        })
        .passthrough(),
    )
    .default([]),
});

/**
 * The user's brute-force blocks (`GET /api/v2/user-blocks/{id}`, scope read:users); [] when
 * none, null when the user does not exist. An admin block (`blocked: true`) is not listed here.
 */
export async function getUserBlocks(
  userId: string,
  api: ManagementApi = getManagementApi(),
): Promise<UserBlock[] | null> {
  if (!isPlausibleUserId(userId)) return null;
  let raw: unknown;
  try {
    raw = await api.run(
      "userBlocks.list",
      (client, options) => withScopeCheck(["read:users"], () => client.userBlocks.list(userId, {}, options)),
      { idempotent: true },
    );
  } catch (error) {
    if (error instanceof Auth0NotFoundError) return null;
    throw error;
  }
  const parsed = blocksSchema.safeParse(raw);
  if (!parsed.success)
    throw new Auth0UnavailableError(
      "Auth0 returned user blocks Passdesk cannot read.",
      200,
      "malformed_response",
    );
  return parsed.data.blocked_for.map((block) => ({
    identifier: block.identifier,
    ip: block.ip ?? null,
    connection: block.connection ?? null,
  }));
}

/**
 * Lifts the user's brute-force blocks (`DELETE /api/v2/user-blocks/{id}`, scope update:users).
 * Does not clear an admin block. Throws Auth0NotFoundError for an unknown user.
 */
export async function unblockUser(userId: string, api: ManagementApi = getManagementApi()): Promise<void> {
  if (!isPlausibleUserId(userId)) throw new Auth0NotFoundError("The user does not exist.", "inexistent_user");
  // Idempotent: deleting blocks twice leaves the same state, so a retry is safe.
  await api.run(
    "userBlocks.delete",
    (client, options) => withScopeCheck(["update:users"], () => client.userBlocks.delete(userId, options)),
    { idempotent: true },
  );
}
