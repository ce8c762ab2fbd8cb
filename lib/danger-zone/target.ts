import "server-only";
import { getUser, type ManagementApi, type UserProfile } from "@/lib/auth0";
import type { DatabaseIdentity } from "@/lib/auth0/types";

/**
 * Who a password operation is for, decided on the server from a fresh read of the user — never
 * from a connection or email the browser sent.
 */
export type PasswordTarget =
  | { kind: "database"; user: UserProfile; identity: DatabaseIdentity }
  | { kind: "not_found" }
  /** Only social/enterprise/passwordless identities: the password lives at those providers. */
  | { kind: "no_database_identity"; user: UserProfile; providers: string[] };

/** The identity providers (connection names) that hold a user's credentials. */
export function externalProviders(user: Pick<UserProfile, "identities">): string[] {
  return [...new Set(user.identities.map((identity) => identity.connection))];
}

/** Throws Auth0Error when Auth0 cannot be asked (rate limited, down). */
export async function loadPasswordTarget(userId: string, api: ManagementApi): Promise<PasswordTarget> {
  const user = await getUser(userId, api);
  if (!user) return { kind: "not_found" };
  if (!user.databaseIdentity)
    return { kind: "no_database_identity", user, providers: externalProviders(user) };
  return { kind: "database", user, identity: user.databaseIdentity };
}
