import { z } from "zod";

/**
 * A WebAuthn response as @simplewebauthn/browser serializes it, sent as a JSON string: the
 * common envelope with the response fields of one ceremony (assertion or registration).
 */
export function webAuthnResponseJson<Shape extends z.core.$ZodLooseShape>(maxLength: number, response: Shape) {
  return z
    .string()
    .max(maxLength)
    .transform((value, context) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(
      z.looseObject({
        id: z.string().min(1).max(1024),
        rawId: z.string().min(1).max(1024),
        type: z.literal("public-key"),
        clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
        response: z.looseObject(response),
      }),
    );
}

/** A passkey assertion (sign-in, step-up). */
const webAuthnJson = webAuthnResponseJson(20_000, {
  clientDataJSON: z.string().max(8_000),
  authenticatorData: z.string().max(8_000),
  signature: z.string().max(2_000),
  userHandle: z.string().max(1_000).optional(),
});

/** An optional trimmed text field; empty means absent. */
export const optionalText = (max: number) => z.string().trim().max(max).optional().transform((value) => value || undefined);

/** The sign-in form. Limits keep absurd inputs away from argon2 and the database. */
export const signInCredentialsSchema = z.object({
  email: z.string().trim().min(3).max(254).email(),
  password: z.string().min(1).max(1024),
  /** Second step: a TOTP code, a recovery code, or a passkey assertion for a challenge. */
  code: optionalText(16),
  recoveryCode: optionalText(32),
  challengeId: optionalText(64),
  passkey: z.union([z.literal(""), webAuthnJson]).optional().transform((value) => (value === "" ? undefined : value)),
});

/** Passwordless sign-in with a passkey. */
export const passkeySignInSchema = z.object({
  challengeId: z.string().min(1).max(64),
  passkey: webAuthnJson,
});

export { webAuthnJson };
