import { z } from "zod";
import { optionalText, webAuthnJson, webAuthnResponseJson } from "./sign-in";

/** Schemas of the security page's actions (lib/actions/security.ts). */

const totpCode = z.string().trim().regex(/^\d{6}$/, "code");

/**
 * Actions without other input still take an explicit `{ confirm: true }`: an empty or stray POST
 * is invalid and changes nothing (the authorization matrix calls every action with `{}`).
 */
export const confirmSchema = z.object({ confirm: z.literal(true) });

export const confirmTotpSchema = z.object({ code: totpCode });

/** Step-up with the password (plus a code when enrolled), or with a passkey. */
export const stepUpSchema = z.union([
  z.object({ password: z.string().min(1).max(1024), code: optionalText(16), recoveryCode: optionalText(32) }),
  z.object({ challengeId: z.string().min(1).max(64), passkey: webAuthnJson }),
]);

const registrationJson = webAuthnResponseJson(30_000, {
  clientDataJSON: z.string().max(8_000),
  attestationObject: z.string().max(20_000),
});

export const addPasskeySchema = z.object({
  challengeId: z.string().min(1).max(64),
  registration: registrationJson,
  name: z.string().trim().min(1).max(60),
});

export const passkeyIdSchema = z.object({ passkeyId: z.string().min(1).max(1024) });

/** One session by its handle (lib/auth/operator-sessions.ts sessionHandle), or all the others. */
export const endSessionsSchema = z.union([
  z.object({ handle: z.string().regex(/^[0-9a-f]{32}$/) }),
  z.object({ allOthers: z.literal(true) }),
]);

export const operatorMfaSchema = z.object({ operatorId: z.string().regex(/^[a-z0-9]{1,64}$/i) });

export const operatorMfaRequiredSchema = operatorMfaSchema.extend({
  required: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]),
});
