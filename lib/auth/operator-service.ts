import "server-only";
import { getPrisma } from "@/lib/db";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import type { RequestMeta } from "@/lib/request-meta";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { SecondFactorRequiredError, SignInThrottledError } from "./errors";
import { isMfaEnrolled, verifySecondFactorThrottled } from "./mfa/service";
import { verifyPasskeyAuthentication, type RelyingParty } from "./mfa/passkeys";
import { getEnv } from "@/lib/server-env";
import { burnVerificationTime, verifyOperatorPassword } from "./operator-password-hash";
import { createOperatorSession, type AuthMethod, type SessionSettings } from "./operator-sessions";
import { identitySelect, toOperatorIdentity, type OperatorIdentity } from "./operator-identity";
import { forgiveAttempt, reserveSignInAttempt } from "./sign-in-throttle";

/** What the rest of the app knows about the signed-in operator (never the password hash). */
export { identitySelect, toOperatorIdentity, type OperatorIdentity } from "./operator-identity";

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
  return toOperatorIdentity(operator);
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
/** The sign-in form's second step: a TOTP code, a recovery code or a passkey assertion. */
export type SignInSecondFactor = {
  code?: string | undefined;
  recoveryCode?: string | undefined;
  passkey?: { challengeId: string; response: AuthenticationResponseJSON; rp: RelyingParty } | undefined;
};

export async function signInWithPassword(
  emailInput: string,
  password: string,
  meta: RequestMeta,
  now = new Date(),
  secondFactor: SignInSecondFactor = {},
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
  const identity = toOperatorIdentity(operator);
  const method = await checkSecondFactor(identity, secondFactor, meta, now);
  return openSession(identity, method, meta, now);
}

/**
 * After a right password: nothing more when the operator has no MFA; otherwise the second factor
 * must be right too, or the sign-in stops here (SecondFactorRequiredError) with no session.
 */
async function checkSecondFactor(operator: OperatorIdentity, factor: SignInSecondFactor, meta: RequestMeta, now: Date): Promise<AuthMethod> {
  const db = await getPrisma();
  if (!(await isMfaEnrolled(db, operator.id))) return "password";
  const refuse = async (failureReason: string, error: SecondFactorRequiredError) => {
    await recordOperatorEvent("operator.sign_in_failed", { actor: null, meta, target: { email: operator.email }, details: { failureReason }, outcome: "FAILED" });
    throw error;
  };
  if (factor.passkey) {
    const result = await verifyPasskeyAuthentication(db, { ...factor.passkey, purpose: "sign_in", operatorId: operator.id, now });
    if (!result.ok) return refuse("bad_passkey", new SecondFactorRequiredError("mfa_invalid"));
    return "password+passkey";
  }
  if (!factor.code && !factor.recoveryCode) throw new SecondFactorRequiredError("mfa_required");
  let result;
  try {
    result = await verifySecondFactorThrottled(db, {
      operatorId: operator.id,
      email: operator.email,
      ip: meta.ip ?? "unknown",
      factor: factor.recoveryCode ? { recoveryCode: factor.recoveryCode } : { code: factor.code },
      serverSecret: getEnv().sessionSecret,
      now,
    });
  } catch (error) {
    if (error instanceof SignInThrottledError) {
      await recordOperatorEvent("operator.sign_in_failed", { actor: null, meta, target: { email: operator.email }, details: { failureReason: "throttled" }, outcome: "FAILED" });
    }
    throw error;
  }
  if (!result.ok) {
    return result.reason === "replayed"
      ? refuse("replayed_code", new SecondFactorRequiredError("mfa_replayed"))
      : refuse("bad_second_factor", new SecondFactorRequiredError("mfa_invalid"));
  }
  if (result.method === "recovery_code") {
    await recordOperatorEvent("operator.recovery_code_used", {
      actor: operator,
      meta,
      target: { email: operator.email },
      details: { recoveryCodesLeft: result.recoveryCodesLeft ?? undefined },
    });
    return "password+recovery_code";
  }
  return "password+totp";
}

async function openSession(identity: OperatorIdentity, method: AuthMethod, meta: RequestMeta, now: Date): Promise<SignInResult & { ok: true }> {
  const db = await getPrisma();
  await db.operator.update({ where: { id: identity.id }, data: { lastSignInAt: now } });
  const session = await createOperatorSession(db, {
    operatorId: identity.id,
    ip: meta.ip,
    userAgent: meta.userAgent,
    now,
    settings: sessionSettings(),
    authMethod: method,
  });
  await recordOperatorEvent("operator.sign_in", { actor: identity, meta, target: { email: identity.email }, details: { method } });
  return { ok: true, operator: identity, session };
}

/** Passwordless sign-in with a passkey (a discoverable credential; the passkey names the operator). */
export async function signInWithPasskey(
  input: { challengeId: string; response: AuthenticationResponseJSON; rp: RelyingParty },
  meta: RequestMeta,
  now = new Date(),
): Promise<SignInResult> {
  const db = await getPrisma();
  const result = await verifyPasskeyAuthentication(db, { ...input, purpose: "sign_in", operatorId: null, now });
  const operator = result.ok
    ? await db.operator.findUnique({ where: { id: result.operatorId }, select: { ...identitySelect, disabled: true } })
    : null;
  if (!operator || operator.disabled) {
    await recordOperatorEvent("operator.sign_in_failed", {
      actor: null,
      meta,
      target: { email: operator?.email ?? "unknown-passkey" },
      details: { failureReason: operator?.disabled ? "disabled" : "bad_passkey", method: "passkey" },
      outcome: "FAILED",
    });
    return { ok: false, reason: "invalid" };
  }
  const identity = toOperatorIdentity(operator);
  return openSession(identity, "passkey", meta, now);
}

/** Session lifetimes from the environment (SESSION_ABSOLUTE_TIMEOUT_MINUTES, SESSION_IDLE_TIMEOUT_MINUTES). */
export function sessionSettings(): SessionSettings {
  const env = getEnv();
  return { absoluteMs: env.SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60_000, idleMs: env.SESSION_IDLE_TIMEOUT_MINUTES * 60_000 };
}
