import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/server-env";
import { getSessionAuthentication } from "../operator-sessions";
import type { Role } from "../permissions";
import { isAuthenticationFresh, type StepUpSettings } from "./step-up";

/**
 * The MFA and step-up decisions for the current request, read once per request (React cache):
 * whether the operator must enrol before anything else, and whether the session authenticated
 * recently enough for a step-up permission.
 */

export function mfaRequiredRoles(): ReadonlySet<Role> {
  return new Set(getEnv().MFA_REQUIRED_ROLES);
}

export function stepUpSettings(): StepUpSettings {
  const env = getEnv();
  return { windowMinutes: env.STEP_UP_MINUTES, staleEmailSuffix: env.isDemo ? env.STEP_UP_STALE_EMAIL_SUFFIX : undefined };
}

export type MfaGate = { isRequired: boolean; isEnrolled: boolean };

/** Whether MFA is required for this operator (role in MFA_REQUIRED_ROLES, or set by an admin) and enrolled. */
export const getMfaGate = cache(async (operatorId: string, role: Role): Promise<MfaGate> => {
  const db = await getPrisma();
  const row = await db.operator.findUnique({
    where: { id: operatorId },
    select: { mfaRequired: true, totp: { select: { confirmedAt: true } }, _count: { select: { passkeys: true } } },
  });
  const isEnrolled = Boolean(row?.totp?.confirmedAt) || (row?._count.passkeys ?? 0) > 0;
  return { isRequired: mfaRequiredRoles().has(role) || Boolean(row?.mfaRequired), isEnrolled };
});

/**
 * The server-side session id of this request's cookie (token.sid), for step-up and "end my other
 * sessions". getServerSession has already checked the record; the id never goes to the browser.
 */
export const getCurrentSessionId = cache(async (): Promise<string | null> => {
  const store = await cookies();
  const request = { cookies: Object.fromEntries(store.getAll().map((cookie) => [cookie.name, cookie.value])), headers: {} };
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req: request as never, secret: getEnv().sessionSecret, secureCookie });
    if (typeof token?.sid === "string") return token.sid;
  }
  return null;
});

/** Whether the current session authenticated within STEP_UP_MINUTES. */
export async function isCurrentSessionFresh(operator: { email: string }, now = new Date()): Promise<boolean> {
  const sessionId = await getCurrentSessionId();
  if (!sessionId) return false;
  const authentication = await getSessionAuthentication(await getPrisma(), sessionId);
  if (!authentication) return false;
  return isAuthenticationFresh({ ...authentication, now, email: operator.email, settings: stepUpSettings() });
}
