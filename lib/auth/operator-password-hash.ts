import "server-only";
import argon2 from "argon2";

/** Operator passwords: argon2id with the library's defaults (m=64 MiB, t=3, p=4). */
export function hashOperatorPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyOperatorPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the account does not exist keeps the response time of
// "no such operator" close to "wrong password", so timing does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;
export async function burnVerificationTime(password: string): Promise<void> {
  dummyHash ??= hashOperatorPassword("passdesk-timing-equaliser");
  await verifyOperatorPassword(await dummyHash, password);
}

/**
 * The initial password of a new operator (24 chars from a 56-char alphabet), shown once to whoever
 * created the operator. It is not one-time (it stays valid like any password), so it is not called
 * one.
 */
export function generateInitialOperatorPassword(length = 24): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  const limit = 256 - (256 % alphabet.length);
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out.push(alphabet[byte % alphabet.length] as string);
    }
  }
  return out.join("");
}
