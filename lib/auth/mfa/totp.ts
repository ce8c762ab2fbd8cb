import { Secret, TOTP } from "otpauth";

/**
 * TOTP (RFC 6238) with the parameters every authenticator app understands: SHA-1, 6 digits,
 * 30-second steps. Pure (the clock is passed in) so the RFC's test vectors run as unit tests.
 * A code is accepted for the current step and one step either side (clock drift), and never
 * for a step at or before the last accepted one: a code cannot be replayed within its window.
 */

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one. */
export const TOTP_WINDOW = 1;

export type TotpParameters = { digits?: number; algorithm?: "SHA1" | "SHA256" | "SHA512" };

/** A new random 160-bit secret, base32 (RFC 4226 recommends at least 128 bits). */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, label: string, parameters: TotpParameters = {}): TOTP {
  return new TOTP({
    issuer: "Passdesk",
    label,
    algorithm: parameters.algorithm ?? "SHA1",
    digits: parameters.digits ?? TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URI the QR code carries. */
export function totpUri(secretBase32: string, label: string): string {
  return totpFor(secretBase32, label).toString();
}

/** The time step of an instant: unix seconds / 30, floored. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export function generateTotpCode(secretBase32: string, now: Date, parameters: TotpParameters = {}): string {
  return totpFor(secretBase32, "code", parameters).generate({ timestamp: now.getTime() });
}

export type TotpVerification = { ok: true; step: number } | { ok: false; reason: "invalid" | "replayed" };

export function verifyTotpCode(input: {
  secretBase32: string;
  code: string;
  now: Date;
  /** The step of the last accepted code (null: none yet). */
  lastUsedStep: number | null;
  parameters?: TotpParameters;
}): TotpVerification {
  const code = input.code.replace(/\s+/g, "");
  const digits = input.parameters?.digits ?? TOTP_DIGITS;
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return { ok: false, reason: "invalid" };
  const delta = totpFor(input.secretBase32, "code", input.parameters).validate({
    token: code,
    timestamp: input.now.getTime(),
    window: TOTP_WINDOW,
  });
  if (delta === null) return { ok: false, reason: "invalid" };
  const step = totpStep(input.now) + delta;
  if (input.lastUsedStep !== null && step <= input.lastUsedStep) return { ok: false, reason: "replayed" };
  return { ok: true, step };
}
