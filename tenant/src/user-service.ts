import type { TenantContext } from "./context.ts";
import { ApiError } from "./http.ts";
import { hashPassword } from "./password-hash.ts";
import { checkPassword, effectivePolicy, POLICY_ERRORS } from "./policy.ts";
import type { Connection, User } from "./types.ts";

export const USER_NOT_FOUND = (): ApiError =>
  new ApiError(404, "The user does not exist.", "inexistent_user");

export function nowIso(): string {
  return new Date().toISOString();
}

export function isDatabaseConnection(connection: Connection | undefined): connection is Connection {
  return connection?.strategy === "auth0";
}

export function getUserOr404(context: TenantContext, userId: string): User {
  const user = context.store.users.get(userId);
  if (!user) throw USER_NOT_FOUND();
  return user;
}

/**
 * The database connection whose password a change applies to: the named one (must be one of
 * the user's identities), else the user's primary identity.
 */
export function passwordConnectionOf(
  context: TenantContext,
  user: User,
  connectionName?: string,
): Connection {
  const identity =
    connectionName === undefined
      ? user.identities[0]
      : user.identities.find((i) => i.connection === connectionName);
  if (!identity)
    throw new ApiError(
      400,
      `The user does not have an identity in connection ${connectionName ?? ""}`.trim(),
      "invalid_body",
    );
  const connection = context.store.connectionByName(identity.connection);
  if (!isDatabaseConnection(connection)) {
    // Exact Auth0 wording is unconfirmed; the app treats any 400 here as "managed by the IdP".
    throw new ApiError(
      400,
      "Cannot update password of user with non-database connection",
      "operation_not_supported",
    );
  }
  return connection;
}

export type PasswordChangeOptions = {
  /** PATCH clears an admin block; the hosted reset page does not. */
  clearBlocked: boolean;
};

/**
 * Applies a new password after every rule of the connection passed: stores only the hash,
 * records history, sets last_password_reset and ends the user's sessions.
 */
export async function changePassword(
  context: TenantContext,
  user: User,
  connection: Connection,
  password: string,
  options: PasswordChangeOptions,
): Promise<User> {
  const secret = context.store.secrets.get(user.user_id) ?? { passwordHistory: [], sessionsValidAfter: 0 };
  const failure = await checkPassword(connection, user, secret, password);
  if (failure) throw new ApiError(400, POLICY_ERRORS[failure], undefined);
  const hash = await hashPassword(password);
  const historySize = Math.max(1, effectivePolicy(connection).history.size);
  const now = nowIso();
  const updated: User = { ...user, last_password_reset: now, updated_at: now };
  if (options.clearBlocked) delete updated.blocked;
  context.store.putUser(updated, {
    passwordHash: hash,
    passwordHistory: [hash, ...secret.passwordHistory].slice(0, Math.max(historySize, 24)),
    sessionsValidAfter: Date.now(),
  });
  // A password change ends the user's sessions; refresh tokens stay valid, as in Auth0 [C].
  context.sessions.endSessions(user.user_id);
  // A password change lifts brute-force blocks [D brute-force-protection].
  context.bruteForce.clearUser(user.user_id);
  context.stats.passwordChanges += 1;
  return updated;
}
