import "server-only";
import { randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { PrismaClient } from "@/lib/db";

/**
 * Passkeys (WebAuthn discoverable credentials, @simplewebauthn/server): registration, and
 * authentication as a second factor, for step-up and as passwordless sign-in. Challenges are
 * stored server-side, single use and short-lived: a response for another (or an old)
 * challenge, another origin or another RP ID is refused by the library's checks.
 */

type Db = PrismaClient;

/** Who the browser talks to: the RP ID is the app's host name, the origin its scheme+host+port. */
export type RelyingParty = { rpID: string; origin: string; name: string };

export type ChallengePurpose = "register" | "sign_in" | "step_up";

export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

async function storeChallenge(db: Db, input: { challenge: string; purpose: ChallengePurpose; operatorId: string | null; now: Date }): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: input.now } } });
  await db.webAuthnChallenge.create({
    data: { id, challenge: input.challenge, purpose: input.purpose, operatorId: input.operatorId, expiresAt: new Date(input.now.getTime() + CHALLENGE_LIFETIME_MS) },
    select: { id: true },
  });
  return id;
}

/** Takes a challenge out of the store: it works once, for its purpose and operator, before it expires. */
async function consumeChallenge(
  db: Db,
  input: { challengeId: string; purpose: ChallengePurpose; operatorId: string | null; now: Date },
): Promise<string | null> {
  const row = await db.webAuthnChallenge.findUnique({ where: { id: input.challengeId }, select: { challenge: true, purpose: true, operatorId: true, expiresAt: true } });
  if (!row) return null;
  const { count } = await db.webAuthnChallenge.deleteMany({ where: { id: input.challengeId } });
  if (count !== 1) return null;
  if (row.purpose !== input.purpose || row.expiresAt.getTime() <= input.now.getTime()) return null;
  if (input.operatorId !== null && row.operatorId !== input.operatorId) return null;
  return row.challenge;
}

function transportsOf(value: string | null): string[] | undefined {
  return value ? (value.split(",") as string[]) : undefined;
}

export async function passkeyRegistrationOptions(
  db: Db,
  input: { operator: { id: string; email: string; name: string }; rp: RelyingParty; now: Date },
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const existing = await db.operatorPasskey.findMany({ where: { operatorId: input.operator.id }, select: { id: true, transports: true } });
  const options = await generateRegistrationOptions({
    rpName: input.rp.name,
    rpID: input.rp.rpID,
    userName: input.operator.email,
    userDisplayName: input.operator.name,
    userID: new TextEncoder().encode(input.operator.id),
    attestationType: "none",
    excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: transportsOf(passkey.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  const challengeId = await storeChallenge(db, { challenge: options.challenge, purpose: "register", operatorId: input.operator.id, now: input.now });
  return { challengeId, options };
}

export type PasskeyFailure = { ok: false; reason: "bad_challenge" | "not_verified" | "unknown_passkey" };

export async function registerPasskey(
  db: Db,
  input: { operatorId: string; challengeId: string; response: RegistrationResponseJSON; name: string; rp: RelyingParty; now: Date },
): Promise<{ ok: true; id: string } | PasskeyFailure> {
  const challenge = await consumeChallenge(db, { challengeId: input.challengeId, purpose: "register", operatorId: input.operatorId, now: input.now });
  if (!challenge) return { ok: false, reason: "bad_challenge" };
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    return { ok: false, reason: "not_verified" };
  }
  if (!verification.verified || !verification.registrationInfo) return { ok: false, reason: "not_verified" };
  const { credential } = verification.registrationInfo;
  await db.operatorPasskey.create({
    data: {
      id: credential.id,
      operatorId: input.operatorId,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports?.join(",") ?? null,
      name: input.name,
      createdAt: input.now,
    },
    select: { id: true },
  });
  return { ok: true, id: credential.id };
}

/** Options for `navigator.credentials.get`: any discoverable passkey (sign-in) or the operator's own. */
export async function passkeyAuthenticationOptions(
  db: Db,
  input: { purpose: "sign_in" | "step_up"; operatorId: string | null; rp: RelyingParty; now: Date },
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const allow = input.operatorId
    ? await db.operatorPasskey.findMany({ where: { operatorId: input.operatorId }, select: { id: true, transports: true } })
    : [];
  const options = await generateAuthenticationOptions({
    rpID: input.rp.rpID,
    userVerification: "preferred",
    allowCredentials: allow.map((passkey) => ({ id: passkey.id, transports: transportsOf(passkey.transports) })),
  });
  const challengeId = await storeChallenge(db, { challenge: options.challenge, purpose: input.purpose, operatorId: input.operatorId, now: input.now });
  return { challengeId, options };
}

/**
 * Checks an assertion: the challenge (single use, right purpose), origin, RP ID, signature and
 * counter. With `operatorId`, the passkey must be that operator's. Returns whose passkey it was.
 */
export async function verifyPasskeyAuthentication(
  db: Db,
  input: {
    challengeId: string;
    response: AuthenticationResponseJSON;
    purpose: "sign_in" | "step_up";
    operatorId: string | null;
    rp: RelyingParty;
    now: Date;
  },
): Promise<{ ok: true; operatorId: string; passkeyId: string } | PasskeyFailure> {
  const challenge = await consumeChallenge(db, { challengeId: input.challengeId, purpose: input.purpose, operatorId: input.operatorId, now: input.now });
  if (!challenge) return { ok: false, reason: "bad_challenge" };
  const passkey = await db.operatorPasskey.findUnique({
    where: { id: input.response.id },
    select: { id: true, operatorId: true, publicKey: true, counter: true, transports: true },
  });
  if (!passkey || (input.operatorId !== null && passkey.operatorId !== input.operatorId)) return { ok: false, reason: "unknown_passkey" };
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.rpID,
      credential: { id: passkey.id, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: transportsOf(passkey.transports) },
      requireUserVerification: false,
    });
  } catch {
    return { ok: false, reason: "not_verified" };
  }
  if (!verification.verified) return { ok: false, reason: "not_verified" };
  await db.operatorPasskey.update({
    where: { id: passkey.id },
    data: { counter: verification.authenticationInfo.newCounter, lastUsedAt: input.now },
    select: { id: true },
  });
  return { ok: true, operatorId: passkey.operatorId, passkeyId: passkey.id };
}

export async function removePasskey(db: Db, input: { operatorId: string; passkeyId: string }): Promise<string | null> {
  const passkey = await db.operatorPasskey.findFirst({ where: { id: input.passkeyId, operatorId: input.operatorId }, select: { name: true } });
  if (!passkey) return null;
  await db.operatorPasskey.deleteMany({ where: { id: input.passkeyId, operatorId: input.operatorId } });
  return passkey.name;
}
