import { createHash, randomInt } from "node:crypto";

/**
 * Recovery codes: ten per operator, shown once, stored as SHA-256 of the normalized code. Each
 * code has 50 random bits (10 characters of a 32-letter alphabet without look-alikes), far
 * beyond guessing under the sign-in throttle, so a fast hash is enough (no argon2 needed).
 */

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ0123456789".slice(0, 32);
const CODE_LENGTH = 10;

/** `ABCDE-FGHJK`: easy to read aloud and type. */
export function generateRecoveryCode(): string {
  let raw = "";
  for (let index = 0; index < CODE_LENGTH; index += 1) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(generateRecoveryCode());
  return [...codes];
}

/** Case, spaces and dashes do not matter; look-alike letters are read as the digits they resemble. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, "").replace(/O/g, "0").replace(/[IL]/g, "1").replace(/U/g, "V");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[A-Z0-9]{10}$/.test(normalizeRecoveryCode(code));
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(`passdesk-recovery:${normalizeRecoveryCode(code)}`).digest("hex");
}
