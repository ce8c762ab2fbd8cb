import "server-only";
import { getPrisma } from "@/lib/db";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import type { RequestMeta } from "@/lib/request-meta";
import { SignInThrottledError } from "./errors";
import { getEnv } from "@/lib/server-env";
import { burnVerificationTime, verifyOperatorPassword } from "./operator-password-hash";
import { createOperatorSession, type SessionSettings } from "./operator-sessions";
import type { Role } from "./permissions";
import { forgiveAttempt, reserveSignInAttempt } from "./sign-in-throttle";

/** What the rest of the app knows about the signed-in operator (never the password hash). */
export type OperatorIdentity = { id: string; email: string; name: string; role: Role };

const identitySelect = { id: true, email: true, name: true, role: true } as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findActiveOperator(id: string): Promise<OperatorIdentity | null> {
  const db = await getPrisma();
  const operator = await db.operator.findUnique({
    where: { id },
    select: { ...identitySelect, disabled: true },
  });
  if (!operator || operator.disabled) return null;
  return { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
}

export type SignInResult =
  | { ok: true; operator: OperatorIdentity; session: { id: string; expiresAt: Date } }
  | { ok: false; reason: "invalid" };

/**
 * Checks an email and password. Wrong email, wrong password and disabled account are the same
 * "invalid" result so the form cannot be used to discover accounts. The attempt is counted
 * (atomically, see ./sign-in-throttle.ts) before the password is checked; throttled callers are
 * refused without a check. A right password opens a server-side session record.
 */
export async function signInWithPassword(
  emailInput: string,
  password: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<SignInResult> {
  const db = await getPrisma();
  const email = normalizeEmail(emailInput);
  const ip = meta.ip ?? "unknown";

  const reservation = await reserveSignInAttempt(db, { email, ip, now });
  if (!reservation.allowed) {
    await recordOperatorEvent("operator.sign_in_failed", {
      actor: null,
      meta,
      target: { email },
      details: { failureReason: "throttled", method: "password" },
      outcome: "FAILED",
    });
    throw new SignInThrottledError(reservation.retryAt, reservation.kind);
  }

  const operator = await db.operator.findUnique({
    where: { email },
    select: { ...identitySelect, passwordHash: true, disabled: true },
  });
  const isValid = operator
    ? await verifyOperatorPassword(operator.passwordHash, password)
    : (await burnVerificationTime(password), false);

  if (!operator || !isValid || operator.disabled) {
    // The reserved attempt stays: it is this failure's row.
    await recordOperatorEvent("operator.sign_in_failed", {
      actor: null,
      meta,
      target: { email },
      details: { failureReason: operator?.disabled && isValid ? "disabled" : "bad_credentials", method: "password" },
      outcome: "FAILED",
    });
    return { ok: false, reason: "invalid" };
  }

  await forgiveAttempt(db, { attemptId: reservation.attemptId, email, ip });
  await db.operator.update({ where: { id: operator.id }, data: { lastSignInAt: now } });
  const session = await createOperatorSession(db, {
    operatorId: operator.id,
    ip: meta.ip,
    userAgent: meta.userAgent,
    now,
    settings: sessionSettings(),
  });
  const identity: OperatorIdentity = { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
  await recordOperatorEvent("operator.sign_in", { actor: identity, meta, target: { email }, details: { method: "password" } });
  return { ok: true, operator: identity, session };
}

/** Session lifetimes from the environment (SESSION_ABSOLUTE_TIMEOUT_MINUTES, SESSION_IDLE_TIMEOUT_MINUTES). */
export function sessionSettings(): SessionSettings {
  const env = getEnv();
  return { absoluteMs: env.SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60_000, idleMs: env.SESSION_IDLE_TIMEOUT_MINUTES * 60_000 };
}
