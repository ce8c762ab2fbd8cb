import "server-only";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import { getPrisma } from "@/lib/db";
import type { RequestMeta } from "@/lib/request-meta";
import { getEnv } from "@/lib/server-env";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { SignInThrottledError } from "../errors";
import { burnVerificationTime, verifyOperatorPassword } from "../operator-password-hash";
import type { OperatorIdentity } from "../operator-service";
import { markSessionAuthenticated, revokeOperatorSessions, revokeOtherSessions, revokeOwnSession, sessionHandle, type AuthMethod } from "../operator-sessions";
import { forgiveAttempt, reserveSignInAttempt } from "../sign-in-throttle";
import { registerPasskey, removePasskey, verifyPasskeyAuthentication, type RelyingParty } from "./passkeys";
import { beginTotpEnrolment, confirmTotpEnrolment, isMfaEnrolled, regenerateRecoveryCodes, removeTotp, verifySecondFactorThrottled } from "./service";

/**
 * What an operator does on their own security page, audited: confirm identity (step-up), enrol
 * and remove factors, regenerate recovery codes, end their other sessions. Removing the last
 * factor disables MFA, which ends every session of the operator at once (like an admin reset).
 */

type Context = { operator: OperatorIdentity; meta: RequestMeta; sessionId: string };

export type StepUpInput =
  | { kind: "password"; password: string; code?: string | undefined; recoveryCode?: string | undefined }
  | { kind: "passkey"; challengeId: string; response: AuthenticationResponseJSON; rp: RelyingParty };

export type StepUpResult = { ok: true; method: AuthMethod } | { ok: false; reason: "invalid" | "second_factor_required" | "replayed" | "throttled" };

async function recordStepUp(context: Context, outcome: "SUCCEEDED" | "FAILED", details: Record<string, string>) {
  await recordOperatorEvent("operator.step_up", { actor: context.operator, meta: context.meta, target: { email: context.operator.email }, details, outcome });
}

/** Step-up: the password (and the second factor when enrolled), or a passkey, makes the session fresh. */
export async function confirmIdentity(context: Context, input: StepUpInput, now = new Date()): Promise<StepUpResult> {
  const db = await getPrisma();
  const { operator } = context;
  if (input.kind === "passkey") {
    const result = await verifyPasskeyAuthentication(db, { ...input, purpose: "step_up", operatorId: operator.id, now });
    if (!result.ok) {
      await recordStepUp(context, "FAILED", { method: "passkey", failureReason: "bad_passkey" });
      return { ok: false, reason: "invalid" };
    }
    await markSessionAuthenticated(db, context.sessionId, "passkey", now);
    await recordStepUp(context, "SUCCEEDED", { method: "passkey" });
    return { ok: true, method: "passkey" };
  }
  const ip = context.meta.ip ?? "unknown";
  const reservation = await reserveSignInAttempt(db, { email: operator.email, ip, now });
  if (!reservation.allowed) {
    await recordStepUp(context, "FAILED", { method: "password", failureReason: "throttled" });
    return { ok: false, reason: "throttled" };
  }
  const row = await db.operator.findUnique({ where: { id: operator.id }, select: { passwordHash: true } });
  const isValid = row ? await verifyOperatorPassword(row.passwordHash, input.password) : (await burnVerificationTime(input.password), false);
  if (!isValid) {
    await recordStepUp(context, "FAILED", { method: "password", failureReason: "bad_credentials" });
    return { ok: false, reason: "invalid" };
  }
  await forgiveAttempt(db, { attemptId: reservation.attemptId, email: operator.email, ip });
  let method: AuthMethod = "password";
  if (await isMfaEnrolled(db, operator.id)) {
    if (!input.code && !input.recoveryCode) return { ok: false, reason: "second_factor_required" };
    let factor;
    try {
      factor = await verifySecondFactorThrottled(db, {
        operatorId: operator.id,
        email: operator.email,
        ip,
        factor: input.recoveryCode ? { recoveryCode: input.recoveryCode } : { code: input.code },
        serverSecret: getEnv().sessionSecret,
        now,
      });
    } catch (error) {
      if (!(error instanceof SignInThrottledError)) throw error;
      await recordStepUp(context, "FAILED", { method: "password", failureReason: "throttled" });
      return { ok: false, reason: "throttled" };
    }
    if (!factor.ok) {
      await recordStepUp(context, "FAILED", { method: "password", failureReason: factor.reason === "replayed" ? "replayed_code" : "bad_second_factor" });
      return { ok: false, reason: factor.reason === "replayed" ? "replayed" : "invalid" };
    }
    method = factor.method === "totp" ? "password+totp" : "password+recovery_code";
    if (factor.method === "recovery_code") {
      await recordOperatorEvent("operator.recovery_code_used", {
        actor: operator,
        meta: context.meta,
        target: { email: operator.email },
        details: { recoveryCodesLeft: factor.recoveryCodesLeft ?? undefined },
      });
    }
  }
  await markSessionAuthenticated(db, context.sessionId, method, now);
  await recordStepUp(context, "SUCCEEDED", { method });
  return { ok: true, method };
}

export async function startTotpEnrolment(context: Context, now = new Date()) {
  return beginTotpEnrolment(await getPrisma(), context.operator, getEnv().sessionSecret, now);
}

export async function finishTotpEnrolment(context: Context, code: string, now = new Date()) {
  const db = await getPrisma();
  const result = await confirmTotpEnrolment(db, context.operator.id, code, getEnv().sessionSecret, now);
  if (result.ok) {
    // Enrolling counts as a fresh authentication (the operator just proved the new factor).
    await markSessionAuthenticated(db, context.sessionId, "password+totp", now);
    await recordOperatorEvent("operator.mfa_enrolled", {
      actor: context.operator,
      meta: context.meta,
      target: { email: context.operator.email },
      details: { factor: "totp", recoveryCodesLeft: result.recoveryCodes?.length },
    });
  }
  return result;
}

/** After a factor is removed: with none left MFA is off — recovery codes go and every session ends. */
async function afterFactorRemoved(context: Context, now: Date): Promise<{ isSignedOut: boolean }> {
  const db = await getPrisma();
  if (await isMfaEnrolled(db, context.operator.id)) return { isSignedOut: false };
  await db.operatorRecoveryCode.deleteMany({ where: { operatorId: context.operator.id } });
  const sessionsEnded = await revokeOperatorSessions(db, context.operator.id, "mfa_reset", now);
  await recordOperatorEvent("operator.sessions_ended", {
    actor: context.operator,
    meta: context.meta,
    target: { email: context.operator.email },
    details: { factor: "all", sessionsEnded },
  });
  return { isSignedOut: true };
}

export async function removeOwnTotp(context: Context, now = new Date()): Promise<{ removed: boolean; isSignedOut: boolean }> {
  const removed = await removeTotp(await getPrisma(), context.operator.id);
  if (!removed) return { removed, isSignedOut: false };
  await recordOperatorEvent("operator.mfa_removed", { actor: context.operator, meta: context.meta, target: { email: context.operator.email }, details: { factor: "totp" } });
  return { removed, ...(await afterFactorRemoved(context, now)) };
}

export async function regenerateOwnRecoveryCodes(context: Context, now = new Date()): Promise<string[] | null> {
  const db = await getPrisma();
  if (!(await isMfaEnrolled(db, context.operator.id))) return null;
  const codes = await regenerateRecoveryCodes(db, context.operator.id, now);
  await recordOperatorEvent("operator.recovery_codes_regenerated", {
    actor: context.operator,
    meta: context.meta,
    target: { email: context.operator.email },
    details: { recoveryCodesLeft: codes.length },
  });
  return codes;
}

export async function addOwnPasskey(
  context: Context,
  input: { challengeId: string; response: RegistrationResponseJSON; name: string; rp: RelyingParty },
  now = new Date(),
): Promise<{ ok: true; recoveryCodes: string[] | null } | { ok: false }> {
  const db = await getPrisma();
  const result = await registerPasskey(db, { ...input, operatorId: context.operator.id, now });
  if (!result.ok) return { ok: false };
  const unused = await db.operatorRecoveryCode.count({ where: { operatorId: context.operator.id, usedAt: null } });
  const recoveryCodes = unused > 0 ? null : await regenerateRecoveryCodes(db, context.operator.id, now);
  await markSessionAuthenticated(db, context.sessionId, "passkey", now);
  await recordOperatorEvent("operator.mfa_enrolled", {
    actor: context.operator,
    meta: context.meta,
    target: { email: context.operator.email },
    details: { factor: "passkey", passkeyName: input.name, recoveryCodesLeft: recoveryCodes?.length },
  });
  return { ok: true, recoveryCodes };
}

export async function removeOwnPasskey(context: Context, passkeyId: string, now = new Date()): Promise<{ removed: boolean; isSignedOut: boolean }> {
  const name = await removePasskey(await getPrisma(), { operatorId: context.operator.id, passkeyId });
  if (name === null) return { removed: false, isSignedOut: false };
  await recordOperatorEvent("operator.mfa_removed", {
    actor: context.operator,
    meta: context.meta,
    target: { email: context.operator.email },
    details: { factor: "passkey", passkeyName: name },
  });
  return { removed: true, ...(await afterFactorRemoved(context, now)) };
}

export async function endOwnSessions(context: Context, input: { handle?: string | undefined }, now = new Date()): Promise<number> {
  const db = await getPrisma();
  const sessionsEnded = input.handle
    ? input.handle === sessionHandle(context.sessionId)
      ? 0
      : Number(await revokeOwnSession(db, { operatorId: context.operator.id, handle: input.handle, now }))
    : await revokeOtherSessions(db, { operatorId: context.operator.id, keepSessionId: context.sessionId, now });
  if (sessionsEnded > 0) {
    await recordOperatorEvent("operator.sessions_ended", { actor: context.operator, meta: context.meta, target: { email: context.operator.email }, details: { sessionsEnded } });
  }
  return sessionsEnded;
}
