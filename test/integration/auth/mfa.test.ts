import { beforeAll, expect, it } from "vitest";
import { SignInThrottledError } from "@/lib/auth/errors";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  getMfaStatus,
  regenerateRecoveryCodes,
  resetMfa,
  verifySecondFactor,
  verifySecondFactorThrottled,
} from "@/lib/auth/mfa/service";
import { isAuthenticationFresh } from "@/lib/auth/mfa/step-up";
import { generateTotpCode } from "@/lib/auth/mfa/totp";
import {
  createOperatorSession,
  getSessionAuthenticatedAt,
  markSessionAuthenticated,
  validateOperatorSession,
} from "@/lib/auth/operator-sessions";
import { describeEachDatabase } from "../db/targets";

/**
 * Operator MFA against the real database with the clock passed in: enrolment, replay refusal,
 * one-time recovery codes, the throttle on codes, the reset that ends sessions, and step-up
 * freshness of a session record.
 */
const SECRET = "integration-test-server-secret-0123456789";
const t0 = new Date("2026-04-01T08:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const settings = { absoluteMs: 8 * 60 * 60 * 1000, idleMs: 30 * 60 * 1000 };

describeEachDatabase("operator MFA", (database) => {
  let operatorId: string;
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    operatorId = (
      await database().prisma.operator.create({
        data: { email: "mfa-integration@passdesk.test", name: "MFA", role: "ADMIN", passwordHash: "x" },
        select: { id: true },
      })
    ).id;
    const begun = await beginTotpEnrolment(database().prisma, { id: operatorId, email: "mfa-integration@passdesk.test" }, SECRET, t0);
    if (!begun.ok) throw new Error("enrolment did not start");
    secret = begun.secret;
  });

  it("stores the secret encrypted and unusable until a first code confirms it", async () => {
    const row = await database().prisma.operatorTotp.findUniqueOrThrow({ where: { operatorId } });
    expect(row.secretEncrypted).not.toContain(secret);
    expect(row.confirmedAt).toBeNull();
    expect(await verifySecondFactor(database().prisma, operatorId, { code: generateTotpCode(secret, t0) }, SECRET, t0)).toEqual({
      ok: false,
      reason: "not_enrolled",
    });
    expect(await confirmTotpEnrolment(database().prisma, operatorId, "000000", SECRET, t0)).toEqual({ ok: false, reason: "invalid" });
    const confirmed = await confirmTotpEnrolment(database().prisma, operatorId, generateTotpCode(secret, t0), SECRET, t0);
    expect(confirmed.ok).toBe(true);
    recoveryCodes = confirmed.ok ? (confirmed.recoveryCodes ?? []) : [];
    expect(recoveryCodes).toHaveLength(10);
    const stored = await database().prisma.operatorRecoveryCode.findMany({ where: { operatorId }, select: { codeHash: true } });
    expect(stored).toHaveLength(10);
    for (const { codeHash } of stored) expect(recoveryCodes).not.toContain(codeHash);
    expect(await getMfaStatus(database().prisma, operatorId)).toMatchObject({ hasTotp: true, recoveryCodesLeft: 10, isEnrolled: true });
  });

  it("refuses the confirming code again (same step) and accepts the next step's code once", async () => {
    expect(await verifySecondFactor(database().prisma, operatorId, { code: generateTotpCode(secret, t0) }, SECRET, at(5))).toEqual({
      ok: false,
      reason: "replayed",
    });
    const next = generateTotpCode(secret, at(30));
    expect(await verifySecondFactor(database().prisma, operatorId, { code: next }, SECRET, at(31))).toEqual({ ok: true, method: "totp", recoveryCodesLeft: null });
    expect(await verifySecondFactor(database().prisma, operatorId, { code: next }, SECRET, at(32))).toEqual({ ok: false, reason: "replayed" });
    const row = await database().prisma.operatorTotp.findUniqueOrThrow({ where: { operatorId } });
    expect(row.lastUsedStep).toBe(Math.floor(at(30).getTime() / 30_000));
  });

  it("two simultaneous uses of one code: exactly one passes", async () => {
    const code = generateTotpCode(secret, at(60));
    const results = await Promise.all([0, 1, 2].map(() => verifySecondFactor(database().prisma, operatorId, { code }, SECRET, at(61))));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });

  it("a recovery code works once, in any case and with spaces", async () => {
    const code = recoveryCodes[0] as string;
    const typed = code.toLowerCase().replace("-", " ");
    expect(await verifySecondFactor(database().prisma, operatorId, { recoveryCode: typed }, SECRET, at(90))).toEqual({
      ok: true,
      method: "recovery_code",
      recoveryCodesLeft: 9,
    });
    expect(await verifySecondFactor(database().prisma, operatorId, { recoveryCode: code }, SECRET, at(91))).toEqual({ ok: false, reason: "invalid" });
    const used = await database().prisma.operatorRecoveryCode.count({ where: { operatorId, usedAt: { not: null } } });
    expect(used).toBe(1);
  });

  it("regenerating replaces every code: the old ones stop working", async () => {
    const fresh = await regenerateRecoveryCodes(database().prisma, operatorId, at(100));
    expect(fresh).toHaveLength(10);
    expect(await verifySecondFactor(database().prisma, operatorId, { recoveryCode: recoveryCodes[1] as string }, SECRET, at(101))).toEqual({
      ok: false,
      reason: "invalid",
    });
    recoveryCodes = fresh;
  });

  it("wrong codes are throttled like passwords: after 10 from one IP even the right code is refused", async () => {
    const input = { operatorId, email: "mfa-integration@passdesk.test", ip: "203.0.113.77", serverSecret: SECRET };
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect(await verifySecondFactorThrottled(database().prisma, { ...input, factor: { code: "000000" }, now: at(120) })).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    const right = generateTotpCode(secret, at(150));
    await expect(verifySecondFactorThrottled(database().prisma, { ...input, factor: { code: right }, now: at(150) })).rejects.toBeInstanceOf(
      SignInThrottledError,
    );
    expect(await database().prisma.signInFailure.count({ where: { email: "mfa:mfa-integration@passdesk.test" } })).toBe(10);
  });

  it("a session is fresh for step-up only within the window; a step-up makes it fresh again", async () => {
    const session = await createOperatorSession(database().prisma, { operatorId, ip: null, userAgent: null, now: t0, settings, authMethod: "password+totp" });
    const step = { windowMinutes: 10 };
    const authenticatedAt = await getSessionAuthenticatedAt(database().prisma, session.id);
    expect(authenticatedAt?.toISOString()).toBe(t0.toISOString());
    const email = "mfa-integration@passdesk.test";
    expect(isAuthenticationFresh({ authenticatedAt: authenticatedAt as Date, now: at(9 * 60), email, settings: step })).toBe(true);
    expect(isAuthenticationFresh({ authenticatedAt: authenticatedAt as Date, now: at(11 * 60), email, settings: step })).toBe(false);
    expect(await markSessionAuthenticated(database().prisma, session.id, "password+totp", at(11 * 60))).toBe(true);
    const renewed = await getSessionAuthenticatedAt(database().prisma, session.id);
    expect(isAuthenticationFresh({ authenticatedAt: renewed as Date, now: at(12 * 60), email, settings: step })).toBe(true);
  });

  it("an MFA reset removes every factor and ends every session of the operator", async () => {
    const one = await createOperatorSession(database().prisma, { operatorId, ip: null, userAgent: null, now: t0, settings });
    const two = await createOperatorSession(database().prisma, { operatorId, ip: null, userAgent: null, now: t0, settings });
    const result = await resetMfa(database().prisma, operatorId, at(200));
    expect(result.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect(await validateOperatorSession(database().prisma, one.id, at(201), settings)).toBeNull();
    expect(await validateOperatorSession(database().prisma, two.id, at(201), settings)).toBeNull();
    expect(await getMfaStatus(database().prisma, operatorId)).toEqual({ hasTotp: false, passkeys: [], recoveryCodesLeft: 0, isEnrolled: false });
    const ended = await database().prisma.operatorSession.findUniqueOrThrow({ where: { id: one.id }, select: { revokeReason: true } });
    expect(ended.revokeReason).toBe("mfa_reset");
  });
});
