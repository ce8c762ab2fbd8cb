import "server-only";
import { z } from "zod";
import { getManagementApi, type ManagementApi } from "./client";
import { Auth0NotFoundError, nullWhenNotFound, parseResponse } from "./errors";
import { runScoped } from "./scopes";
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
  return nullWhenNotFound(
    runScoped(
      api,
      "userBlocks.list",
      ["read:users"],
      (client, options) => client.userBlocks.list(userId, {}, options),
      {
        idempotent: true,
      },
    ).then((raw) =>
      parseResponse(blocksSchema, raw, "user blocks").blocked_for.map((block) => ({
        identifier: block.identifier,
        ip: block.ip ?? null,
        connection: block.connection ?? null,
      })),
    ),
  );
}

/**
 * Lifts the user's brute-force blocks (`DELETE /api/v2/user-blocks/{id}`, scope update:users).
 * Does not clear an admin block. Throws Auth0NotFoundError for an unknown user.
 */
export async function unblockUser(userId: string, api: ManagementApi = getManagementApi()): Promise<void> {
  if (!isPlausibleUserId(userId)) throw new Auth0NotFoundError("The user does not exist.", "inexistent_user");
  // Idempotent: deleting blocks twice leaves the same state, so a retry is safe.
  await runScoped(
    api,
    "userBlocks.delete",
    ["update:users"],
    (client, options) => client.userBlocks.delete(userId, options),
    {
      idempotent: true,
    },
  );
}

/**
 * Sets or clears the admin block (`PATCH /api/v2/users/{id}` with `{ blocked }`, scope
 * update:users): a blocked user cannot sign in at all (Auth0 answers `user is blocked`) until
 * it is cleared. Brute-force blocks are separate (see unblockUser). Returns the flag Auth0 now
 * reports. Throws Auth0NotFoundError for an unknown user.
 */
export async function setUserBlocked(
  userId: string,
  blocked: boolean,
  api: ManagementApi = getManagementApi(),
): Promise<{ blocked: boolean }> {
  if (!isPlausibleUserId(userId)) throw new Auth0NotFoundError("The user does not exist.", "inexistent_user");
  // Idempotent: the PATCH sets the flag to a value, so a retry leaves the same state.
  const user = await runScoped(
    api,
    "users.update_blocked",
    ["update:users"],
    (client, options) => client.users.update(userId, { blocked }, options),
    { idempotent: true },
  );
  return { blocked: (user as { blocked?: unknown }).blocked === true };
}
