import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { Auth0Error } from "@/lib/auth0/errors";
import type { PasswordPolicy, UserProfile } from "@/lib/auth0/types";
import { getUser } from "@/lib/auth0/users";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { can } from "@/lib/auth/can";
import { externalProviders } from "@/lib/danger-zone/target";
import { personalInfoValues } from "@/lib/password-policy/personal-info";
import { REQUEST_ID_HEADER } from "@/lib/http/forwarding";
import { isUserInScope } from "@/lib/scope/resolve";
import type { OperatorScope } from "@/lib/scope/types";

/**
 * A user id from the URL. Next hands dynamic segments over decoded in most cases, but an id
 * that arrives still percent-encoded (`auth0%7Cabc`) must mean the same user. Auth0 ids never
 * contain `%` themselves, so decoding once is safe; a malformed escape is left as is.
 */
export function userIdFromParam(raw: string): string {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export type ProfileLoad = { status: "ok"; user: UserProfile } | { status: "unavailable"; error: Auth0Error };

/** How long one request's user read is shared (it only has to outlive that request's renders). */
const SHARED_READ_MS = 10_000;
const sharedReads = new Map<string, { expires: number; read: Promise<UserProfile | null> }>();

/**
 * One user read per HTTP request. Next 16 renders generateMetadata apart from the page, and
 * React's cache does not span the two (vercel/next.js#74537: the bench counted two users.get per
 * profile). Every request carries its own request id (proxy.ts), so the read is shared by
 * (request id, user id) for a few seconds; a reload is a new request and reads afresh.
 */
async function readUserOncePerRequest(userId: string): Promise<UserProfile | null> {
  const requestId = (await headers()).get(REQUEST_ID_HEADER);
  if (!requestId) return getUser(userId);
  const now = Date.now();
  for (const [key, entry] of sharedReads) if (entry.expires <= now) sharedReads.delete(key);
  const key = `${requestId}\n${userId}`;
  const shared = sharedReads.get(key);
  if (shared) return shared.read;
  const read = getUser(userId);
  sharedReads.set(key, { expires: now + SHARED_READ_MS, read });
  // A failed read is shared too (same request, same answer), but never kept past its expiry.
  read.catch(() => undefined);
  return read;
}

/**
 * The profile page's data: the user DTO (with the database identity and its password policy),
 * or notFound() for an unknown or malformed id — and for a user outside the operator's scope,
 * checked now alongside the read (the same page: it does not confirm the user exists). Wrapped
 * in React's cache, and shared by request id with the metadata's render, so the page, its
 * metadata and the panels below (diagnosis, Danger Zone, password history) share one Auth0 call.
 */
export const loadUserProfile = cache(async (rawId: string, scope: OperatorScope | null): Promise<ProfileLoad> => {
  try {
    const userId = userIdFromParam(rawId);
    const [user, isInScope] = await Promise.all([readUserOncePerRequest(userId), isUserInScope(scope, userId)]);
    if (!user || !isInScope) notFound();
    return { status: "ok", user };
  } catch (error) {
    if (error instanceof Auth0Error) return { status: "unavailable", error };
    throw error;
  }
});

/** What the Danger Zone dialogs need about the user (a small DTO; the server re-reads the rest). */
export type DangerZoneTarget = {
  userId: string;
  name: string;
  email: string | null;
  /** The database connection whose password is changed. */
  connection: string;
  /** Null when the connection's options could not be read. */
  passwordPolicy: PasswordPolicy | null;
  /** Profile words the strength meter treats as guessable (name, email). */
  userInputs: string[];
  /**
   * The profile values a password may not contain when the connection forbids personal info
   * (lib/password-policy/personal-info); empty when it does not. All of them are on the profile page.
   */
  personalInfo: string[];
  /** Whether the Change password dialog offers "sign out everywhere" (needs sessions:revoke). */
  canSignOutEverywhere: boolean;
};

/** The Danger Zone as one operator sees it for one user: which actions to offer, and for what. */
export type DangerZoneView = {
  /** The operator's role: with no action allowed, the page says why (auditors are read-only). */
  role: OperatorIdentity["role"];
  canSet: boolean;
  canEmail: boolean;
  canTicket: boolean;
  /** Null when the user has no database identity (nothing to change here). */
  target: DangerZoneTarget | null;
  /** Where the password lives instead, for a user without a database identity. */
  providers: string;
};

/**
 * The Danger Zone's data, from the profile the page already loaded: no further Auth0 or
 * database call. An operator with no password permission (an auditor) gets a view with every
 * action off and no target: the page explains why instead of showing the actions. The server
 * actions check permission and target again on every submission.
 */
export function dangerZoneViewFor(user: UserProfile, operator: OperatorIdentity): DangerZoneView {
  const canSet = can(operator, "password:set");
  const canEmail = can(operator, "password:reset-email");
  const canTicket = can(operator, "password:ticket");
  if (!canSet && !canEmail && !canTicket) {
    return { role: operator.role, canSet, canEmail, canTicket, target: null, providers: "" };
  }
  const identity = user.databaseIdentity;
  const policy = identity?.passwordPolicy ?? null;
  return {
    role: operator.role,
    canSet,
    canEmail: canEmail && Boolean(user.email),
    canTicket,
    target: identity
      ? {
          userId: user.userId,
          name: user.name,
          email: user.email,
          connection: identity.connection,
          passwordPolicy: identity.passwordPolicy,
          userInputs: [user.name, user.email, user.givenName, user.familyName, user.nickname, user.username].filter(
            (value): value is string => typeof value === "string" && value !== "",
          ),
          personalInfo: policy?.noPersonalInfo.enabled
            ? personalInfoValues(
                {
                  // The display name falls back to the user id when there is nothing else.
                  name: user.name === user.userId ? null : user.name,
                  username: user.username,
                  nickname: user.nickname,
                  email: user.email,
                  given_name: user.givenName,
                  family_name: user.familyName,
                  phone_number: user.phoneNumber,
                  user_metadata: user.userMetadata,
                },
                policy.noPersonalInfo.blockedFields,
              )
            : [],
          canSignOutEverywhere: can(operator, "sessions:revoke"),
        }
      : null,
    providers: externalProviders(user).join(", ") || user.userId.split("|")[0] || "",
  };
}

/** The Account section (components/account) as one operator sees it for one user. */
export type AccountView = {
  userId: string;
  name: string;
  email: string | null;
  emailVerified: boolean;
  /** Blocked by an admin (`blocked: true`); brute-force locks are listed by user-blocks instead. */
  blocked: boolean;
  hasDatabaseIdentity: boolean;
  canUnblock: boolean;
  canBlock: boolean;
  canSignOut: boolean;
  canVerifyEmail: boolean;
  canResetMfa: boolean;
};

/**
 * The Account section's data, from the profile the page already loaded (no further call). Null
 * for an operator with none of the account permissions. The actions re-check everything.
 */
export function accountViewFor(user: UserProfile, operator: OperatorIdentity): AccountView | null {
  const view: AccountView = {
    userId: user.userId,
    name: user.name,
    email: user.email,
    emailVerified: user.emailVerified,
    blocked: user.blocked,
    hasDatabaseIdentity: user.databaseIdentity !== null,
    canUnblock: can(operator, "account:unblock"),
    canBlock: can(operator, "account:block"),
    canSignOut: can(operator, "sessions:revoke"),
    canVerifyEmail: can(operator, "email:verify"),
    canResetMfa: can(operator, "mfa:reset"),
  };
  return view.canUnblock || view.canBlock || view.canSignOut || view.canVerifyEmail || view.canResetMfa ? view : null;
}
