import "server-only";
import { createHash } from "node:crypto";
import {
  getUser,
  getUserBlocks,
  listAuthenticationMethods,
  type AuthenticationMethodSummary,
  type ManagementApi,
  type UserBlock,
  type UserProfile,
} from "@/lib/auth0";
import type { AccountAction } from "@/lib/audit/actions";
import type { PasswordFailure } from "@/lib/danger-zone/failures";
import type { Operation, OperationContext, TargetLoader } from "@/lib/danger-zone/operation";
import type { IdempotencyInput } from "@/lib/danger-zone/idempotency";

/**
 * Targets of the account operations: any Auth0 user (social and enterprise users can be blocked,
 * signed out and reset too), read fresh from Auth0 on the server together with whatever state
 * the operation decides on.
 */
export type AccountTarget = { user: UserProfile };

/** The connection an account event names: the database one when there is one, else the primary. */
export function accountConnection(user: UserProfile): string | null {
  return user.databaseIdentity?.connection ?? user.identities[0]?.connection ?? null;
}

async function loadUser(userId: string, api: ManagementApi): Promise<UserProfile | PasswordFailure> {
  return (await getUser(userId, api)) ?? { code: "not_found" };
}

export const ACCOUNT_TARGET: TargetLoader<AccountTarget> = {
  async load(userId, api) {
    const user = await loadUser(userId, api);
    return "code" in user ? user : { user };
  },
  connection: (target) => accountConnection(target.user),
};

/** The user with their brute-force blocks (GET /api/v2/user-blocks/{id}), read in parallel. */
export type BlockedTarget = AccountTarget & { blocks: UserBlock[] };

export const BLOCKS_TARGET: TargetLoader<BlockedTarget> = {
  async load(userId, api) {
    const [user, blocks] = await Promise.all([loadUser(userId, api), getUserBlocks(userId, api)]);
    if ("code" in user) return user;
    return blocks === null ? { code: "not_found" } : { user, blocks };
  },
  connection: (target) => accountConnection(target.user),
};

/** The user with their enrolled authentication methods, read in parallel. */
export type MfaTarget = AccountTarget & { methods: AuthenticationMethodSummary[] };

export const MFA_TARGET: TargetLoader<MfaTarget> = {
  async load(userId, api) {
    const [user, methods] = await Promise.all([loadUser(userId, api), listAuthenticationMethods(userId, api)]);
    if ("code" in user) return user;
    return methods === null ? { code: "not_found" } : { user, methods };
  },
  connection: (target) => accountConnection(target.user),
};

/**
 * A second operation started by the same submission (sign out everywhere after a password set)
 * gets its own key, derived from the first: a replay of the submission replays both.
 */
export function derivedIdempotencyKey(key: string, purpose: string): string {
  const hex = createHash("sha256").update(`${purpose}:${key}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The operation record of an account action: the user, the reason and the key from the request;
 * the key is bound to the user, the reason and `options` (what else decides the effect).
 */
export function accountOperation(
  action: AccountAction,
  input: { userId: string; reason: string; idempotencyKey: string },
  context: OperationContext,
  options: IdempotencyInput = {},
): Operation {
  return {
    action,
    ...context,
    userId: input.userId,
    reason: input.reason,
    idempotencyKey: input.idempotencyKey,
    input: { userId: input.userId, reason: input.reason, ...options },
  };
}
