import { z } from "zod";
import { idempotencyKeySchema, reasonSchema, userIdSchema } from "./danger-zone";
import { hasControlCharacters } from "./text";

/**
 * Inputs of the account actions (Account section of the profile), shared by the dialogs and the
 * server actions. Every action names the user, a reason for the audit log and an idempotency key;
 * the target's state is re-read from Auth0 on the server, never taken from here.
 */
const accountActionSchema = z.object({
  userId: userIdSchema,
  reason: reasonSchema,
  idempotencyKey: idempotencyKeySchema,
});

export const unblockSchema = accountActionSchema;
export type UnblockInput = z.output<typeof unblockSchema>;

export const blockSchema = accountActionSchema;
export type BlockInput = z.output<typeof blockSchema>;

export const adminUnblockSchema = accountActionSchema;
export type AdminUnblockInput = z.output<typeof adminUnblockSchema>;

export const signOutEverywhereSchema = accountActionSchema;
export type SignOutEverywhereInput = z.output<typeof signOutEverywhereSchema>;

export const verificationEmailSchema = accountActionSchema;
export type VerificationEmailInput = z.output<typeof verificationEmailSchema>;

/** Auth0 method ids look like `totp|dev_…` or `phone|dev_…`. */
export const methodIdSchema = z
  .string()
  .min(1, "method_id")
  .max(200, "method_id")
  .refine((value) => !hasControlCharacters(value), "method_id");

/** Reset MFA: one method by id, or every method (`methodId` absent). */
export const resetMfaSchema = accountActionSchema.extend({
  methodId: methodIdSchema.optional(),
});
export type ResetMfaInput = z.output<typeof resetMfaSchema>;

/** Reads the list of MFA methods for the Reset MFA dialog. */
export const listMfaSchema = z.object({ userId: userIdSchema });
export type ListMfaInput = z.output<typeof listMfaSchema>;
