import { minimumLength, satisfiesPolicy, type StrengthRules } from "./policy";

/**
 * Random passwords from the Web Crypto API (browser and Node alike). Every class of character is
 * present, so the result meets any Auth0 preset; it is then checked with the policy package itself
 * and drawn again in the (rare) case it is refused, e.g. three identical characters in a row.
 */

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
// Special characters that survive copy/paste, shells and chat tools (no quotes, spaces or backslash).
const SPECIAL = "!#$%&*+-=?@^_~";
const ALL = LOWER + UPPER + DIGITS + SPECIAL;

/** Default length: long enough to be strong even under the weakest preset. */
export const GENERATED_PASSWORD_LENGTH = 20;
/** Auth0 (bcrypt) uses at most 72 bytes of a password. */
const MAX_LENGTH = 72;

/** A uniform integer in [0, max) without modulo bias. */
function randomIndex(max: number): number {
  const limit = Math.floor(0x1_0000_0000 / max) * max;
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    const value = buffer[0] ?? 0;
    if (value < limit) return value % max;
  }
}

function pick(alphabet: string): string {
  return alphabet.charAt(randomIndex(alphabet.length));
}

function shuffle(characters: string[]): string[] {
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    const current = characters[i] as string;
    characters[i] = characters[j] as string;
    characters[j] = current;
  }
  return characters;
}

function hasIdenticalRun(password: string): boolean {
  return /(.)\1\1/.test(password);
}

/** A password that satisfies the policy's strength rules. */
export function generatePassword(
  policy: StrengthRules,
  length = GENERATED_PASSWORD_LENGTH,
): string {
  const size = Math.min(Math.max(length, minimumLength(policy), 4), MAX_LENGTH);
  for (let attempt = 0; attempt < 100; attempt++) {
    const characters = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SPECIAL)];
    while (characters.length < size) characters.push(pick(ALL));
    const password = shuffle(characters).join("");
    if (!hasIdenticalRun(password) && satisfiesPolicy(policy, password)) return password;
  }
  // Unreachable in practice (each draw fails with probability well below 1 %).
  throw new Error("Could not generate a password that satisfies the policy");
}
