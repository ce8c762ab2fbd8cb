import "server-only";
import type { PrismaClient } from "@/lib/db";
import { SignInThrottledError } from "../errors";
import { revokeOperatorSessions } from "../operator-sessions";
import { forgiveAttempt, reserveSignInAttempt } from "../sign-in-throttle";
import { generateRecoveryCodes, hashRecoveryCode, looksLikeRecoveryCode } from "./recovery-codes";
import { openSecret, sealSecret } from "./secret-box";
import { generateTotpSecret, totpUri, verifyTotpCode } from "./totp";

/**
 * Operator MFA against the database: TOTP enrolment and checks (replay-proof through the last
 * accepted step, written conditionally), one-time recovery codes, and the MFA reset that ends
 * every session. Functions take the database, the server secret and the clock, so integration
 * tests drive them without a server and without sleeping.
 */

type Db = PrismaClient;

export type MfaStatus = {
  hasTotp: boolean;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryCodesLeft: number;
  isEnrolled: boolean;
};

export async function getMfaStatus(db: Db, operatorId: string): Promise<MfaStatus> {
  const [totp, passkeys, recoveryCodesLeft] = await Promise.all([
    db.operatorTotp.findUnique({ where: { operatorId }, select: { confirmedAt: true } }),
    db.operatorPasskey.findMany({
      where: { operatorId },
      select: { id: true, name: true, createdAt: true, lastUsedAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.operatorRecoveryCode.count({ where: { operatorId, usedAt: null } }),
  ]);
  const hasTotp = Boolean(totp?.confirmedAt);
  return { hasTotp, passkeys, recoveryCodesLeft, isEnrolled: hasTotp || passkeys.length > 0 };
}

/** Enrolled means a confirmed authenticator app or at least one passkey. */
export async function isMfaEnrolled(db: Db, operatorId: string): Promise<boolean> {
  const [totp, passkeys] = await Promise.all([
    db.operatorTotp.count({ where: { operatorId, confirmedAt: { not: null } } }),
    db.operatorPasskey.count({ where: { operatorId } }),
  ]);
  return totp > 0 || passkeys > 0;
}

export async function hasConfirmedTotp(db: Db, operatorId: string): Promise<boolean> {
  return (await db.operatorTotp.count({ where: { operatorId, confirmedAt: { not: null } } })) > 0;
}

/** A new secret for the authenticator app; replaces an unfinished enrolment, never a confirmed one. */
export async function beginTotpEnrolment(
  db: Db,
  operator: { id: string; email: string },
  serverSecret: string,
  now: Date,
): Promise<{ ok: true; secret: string; uri: string } | { ok: false; reason: "already_enrolled" }> {
  if (await hasConfirmedTotp(db, operator.id)) return { ok: false, reason: "already_enrolled" };
  const secret = generateTotpSecret();
  const secretEncrypted = sealSecret(secret, serverSecret);
  await db.operatorTotp.upsert({
    where: { operatorId: operator.id },
    create: { operatorId: operator.id, secretEncrypted, createdAt: now },
    update: { secretEncrypted, createdAt: now, confirmedAt: null, lastUsedStep: null },
  });
  return { ok: true, secret, uri: totpUri(secret, operator.email) };
}

export type ConfirmTotpResult =
  | { ok: true; recoveryCodes: string[] | null }
  | { ok: false; reason: "invalid" | "replayed" | "not_started" | "already_enrolled" };

/**
 * The first code from the app finishes enrolment. Recovery codes are generated (and returned
 * once) when the operator has none left unused.
 */
export async function confirmTotpEnrolment(db: Db, operatorId: string, code: string, serverSecret: string, now: Date): Promise<ConfirmTotpResult> {
  const totp = await db.operatorTotp.findUnique({ where: { operatorId }, select: { secretEncrypted: true, confirmedAt: true } });
  if (!totp) return { ok: false, reason: "not_started" };
  if (totp.confirmedAt) return { ok: false, reason: "already_enrolled" };
  const secret = openSecret(totp.secretEncrypted, serverSecret);
  if (!secret) return { ok: false, reason: "not_started" };
  const verification = verifyTotpCode({ secretBase32: secret, code, now, lastUsedStep: null });
  if (!verification.ok) return verification;
  const { count } = await db.operatorTotp.updateMany({
    where: { operatorId, confirmedAt: null, secretEncrypted: totp.secretEncrypted },
    data: { confirmedAt: now, lastUsedStep: verification.step },
  });
  if (count === 0) return { ok: false, reason: "not_started" };
  const unused = await db.operatorRecoveryCode.count({ where: { operatorId, usedAt: null } });
  return { ok: true, recoveryCodes: unused > 0 ? null : await regenerateRecoveryCodes(db, operatorId, now) };
}

/** Ten new codes; the old ones stop working. The codes are returned once and stored hashed. */
export async function regenerateRecoveryCodes(db: Db, operatorId: string, now: Date): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await db.$transaction([
    db.operatorRecoveryCode.deleteMany({ where: { operatorId } }),
    db.operatorRecoveryCode.createMany({ data: codes.map((code) => ({ operatorId, codeHash: hashRecoveryCode(code), createdAt: now })) }),
  ]);
  return codes;
}

export async function removeTotp(db: Db, operatorId: string): Promise<boolean> {
  const { count } = await db.operatorTotp.deleteMany({ where: { operatorId } });
  return count > 0;
}

export type SecondFactorInput = { code?: string | undefined; recoveryCode?: string | undefined };
export type SecondFactorResult =
  | { ok: true; method: "totp" | "recovery_code"; recoveryCodesLeft: number | null }
  | { ok: false; reason: "invalid" | "replayed" | "not_enrolled" };

/** Checks a TOTP code or a recovery code (not throttled: see verifySecondFactorThrottled). */
export async function verifySecondFactor(
  db: Db,
  operatorId: string,
  input: SecondFactorInput,
  serverSecret: string,
  now: Date,
): Promise<SecondFactorResult> {
  if (input.recoveryCode) {
    if (!looksLikeRecoveryCode(input.recoveryCode)) return { ok: false, reason: "invalid" };
    // Conditional: of two simultaneous uses of one code, exactly one succeeds.
    const { count } = await db.operatorRecoveryCode.updateMany({
      where: { operatorId, codeHash: hashRecoveryCode(input.recoveryCode), usedAt: null },
      data: { usedAt: now },
    });
    if (count === 0) return { ok: false, reason: "invalid" };
    const left = await db.operatorRecoveryCode.count({ where: { operatorId, usedAt: null } });
    return { ok: true, method: "recovery_code", recoveryCodesLeft: left };
  }
  if (!input.code) return { ok: false, reason: "invalid" };
  const totp = await db.operatorTotp.findUnique({ where: { operatorId }, select: { secretEncrypted: true, confirmedAt: true, lastUsedStep: true } });
  if (!totp?.confirmedAt) return { ok: false, reason: "not_enrolled" };
  const secret = openSecret(totp.secretEncrypted, serverSecret);
  if (!secret) return { ok: false, reason: "invalid" };
  const verification = verifyTotpCode({ secretBase32: secret, code: input.code, now, lastUsedStep: totp.lastUsedStep });
  if (!verification.ok) return verification;
  // Conditional on the step seen: two simultaneous requests with one code cannot both pass.
  const { count } = await db.operatorTotp.updateMany({
    where: { operatorId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: verification.step } }] },
    data: { lastUsedStep: verification.step },
  });
  if (count === 0) return { ok: false, reason: "replayed" };
  return { ok: true, method: "totp", recoveryCodesLeft: null };
}

/**
 * verifySecondFactor under the sign-in throttle (lib/auth/sign-in-throttle.ts), counted for
 * the key `mfa:<email>` and the IP: wrong codes are limited exactly like wrong passwords.
 * Throws SignInThrottledError when the limit is reached.
 */
export async function verifySecondFactorThrottled(
  db: Db,
  input: { operatorId: string; email: string; ip: string; factor: SecondFactorInput; serverSecret: string; now: Date },
): Promise<SecondFactorResult> {
  const key = `mfa:${input.email}`;
  const reservation = await reserveSignInAttempt(db, { email: key, ip: input.ip, now: input.now });
  if (!reservation.allowed) throw new SignInThrottledError(reservation.retryAt, reservation.kind);
  const result = await verifySecondFactor(db, input.operatorId, input.factor, input.serverSecret, input.now);
  if (result.ok) await forgiveAttempt(db, { attemptId: reservation.attemptId, email: key, ip: input.ip });
  return result;
}

/** Removes every factor (app, recovery codes, passkeys) and ends every session of the operator. */
export async function resetMfa(db: Db, operatorId: string, now: Date): Promise<{ sessionsEnded: number }> {
  return db.$transaction(async (tx) => {
    await tx.operatorTotp.deleteMany({ where: { operatorId } });
    await tx.operatorRecoveryCode.deleteMany({ where: { operatorId } });
    await tx.operatorPasskey.deleteMany({ where: { operatorId } });
    return { sessionsEnded: await revokeOperatorSessions(tx, operatorId, "mfa_reset", now) };
  });
}
