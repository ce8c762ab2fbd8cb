import { createHash } from "node:crypto";
import type { User } from "./types.ts";

/** The user who always has MFA enrolled (TOTP + SMS), for demos of "I lost my phone". */
export const MFA_DEMO_EMAIL = "alice.demo@example.com";

/** One enrolled authentication method, as GET /api/v2/users/{id}/authentication-methods returns it [OAS]. */
export type AuthenticationMethod = {
  id: string;
  type: "totp" | "phone" | "email" | "webauthn-roaming" | "recovery-code" | "push";
  confirmed: boolean;
  name?: string;
  created_at: string;
  enrolled_at?: string;
  last_auth_at?: string;
  link_id?: string;
  phone_number?: string;
  email?: string;
  preferred_authentication_method?: string;
  authentication_methods?: { id: string; type: string }[];
};

/** A stable `dev_` id derived from the user and the method (the same seed always yields the same ids). */
function deviceId(userId: string, kind: string): string {
  return `dev_${createHash("sha256").update(`${userId}:${kind}`).digest("base64url").slice(0, 16)}`;
}

function byte(userId: string): number {
  return createHash("sha256").update(`mfa:${userId}`).digest()[0] ?? 0;
}

function totp(user: User, at: string): AuthenticationMethod {
  const id = deviceId(user.user_id, "totp");
  return {
    id: `totp|${id}`,
    type: "totp",
    confirmed: true,
    created_at: at,
    enrolled_at: at,
    last_auth_at: at,
    authentication_methods: [{ id: `totp|${id}`, type: "totp" }],
  };
}

function phone(user: User, at: string, number: string): AuthenticationMethod {
  const id = deviceId(user.user_id, "phone");
  return {
    id: `phone|${id}`,
    type: "phone",
    confirmed: true,
    name: number.replace(/\d(?=\d{2})/g, "X"),
    phone_number: number,
    created_at: at,
    enrolled_at: at,
    last_auth_at: at,
    preferred_authentication_method: "sms",
    authentication_methods: [{ id: `sms|${id}`, type: "sms" }],
  };
}

function recoveryCode(user: User, at: string): AuthenticationMethod {
  return {
    id: `recovery-code|${deviceId(user.user_id, "recovery-code")}`,
    type: "recovery-code",
    confirmed: true,
    created_at: at,
    enrolled_at: at,
  };
}

/**
 * Seeds MFA enrolments: the MFA demo user has TOTP + SMS + a recovery code; about 1 in 8 other
 * database users has TOTP (some also SMS). Derived from the user id, so it is deterministic and
 * independent of the rest of the seed.
 */
export function seedAuthenticationMethods(users: Iterable<User>): Map<string, AuthenticationMethod[]> {
  const methods = new Map<string, AuthenticationMethod[]>();
  for (const user of users) {
    if (user.identities[0]?.provider !== "auth0") continue;
    const at = user.created_at;
    if (user.email === MFA_DEMO_EMAIL) {
      methods.set(user.user_id, [totp(user, at), phone(user, at, "+15555550100"), recoveryCode(user, at)]);
      continue;
    }
    const b = byte(user.user_id);
    if (b % 8 !== 0) continue;
    const list = [totp(user, at)];
    if (b % 16 === 0) list.push(phone(user, at, `+1555555${String(1000 + (b % 9000)).slice(-4)}`));
    methods.set(user.user_id, list);
  }
  return methods;
}
