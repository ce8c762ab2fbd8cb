import "server-only";
import { cache } from "react";
import { notFound } from "next/navigation";
import { Auth0Error } from "@/lib/auth0/errors";
import type { UserProfile } from "@/lib/auth0/types";
import { getUser } from "@/lib/auth0/users";

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

/**
 * The profile page's data: the user DTO (with the database identity and its password policy),
 * or notFound() for an unknown or malformed id. Wrapped in React's cache so the page, its
 * metadata and any panel added below (Danger Zone, password history) share one Auth0 call.
 */
export const loadUserProfile = cache(async (rawId: string): Promise<ProfileLoad> => {
  try {
    const user = await getUser(userIdFromParam(rawId));
    if (!user) notFound();
    return { status: "ok", user };
  } catch (error) {
    if (error instanceof Auth0Error) return { status: "unavailable", error };
    throw error;
  }
});
