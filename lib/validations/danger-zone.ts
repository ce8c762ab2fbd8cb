import { z } from "zod";
import { hasControlCharacters } from "./text";

/**
 * Inputs of the Danger Zone actions, shared by the dialogs and the server actions. Messages are
 * codes; the UI maps them to catalog strings (messages/<locale>/dangerZone.json).
 */

export const REASON_MIN_LENGTH = 5;
export const REASON_MAX_LENGTH = 500;
/** Reset-link lifetime bounds: 15 minutes to 5 days (Auth0's own default and maximum). */
export const TICKET_TTL_MIN_SEC = 15 * 60;
export const TICKET_TTL_MAX_SEC = 5 * 24 * 60 * 60;
export const TICKET_TTL_DEFAULT_SEC = 60 * 60;
/** Auth0 uses at most 72 bytes; anything far beyond is a mistake or an attack on the hasher. */
export const PASSWORD_MAX_LENGTH = 256;

export const reasonSchema = z
  .string()
  .trim()
  .min(REASON_MIN_LENGTH, "reason_too_short")
  .max(REASON_MAX_LENGTH, "reason_too_long")
  .refine((value) => !hasControlCharacters(value, { allowLineBreaks: true }), "reason_control_characters");

export const idempotencyKeySchema = z.uuid("idempotency_key");

export const userIdSchema = z
  .string()
  .min(1, "user_id")
  .max(512, "user_id")
  .refine((value) => !hasControlCharacters(value), "user_id");

const baseSchema = z.object({
  userId: userIdSchema,
  reason: reasonSchema,
  idempotencyKey: idempotencyKeySchema,
});

export const setPasswordSchema = baseSchema.extend({
  // Not trimmed: spaces are legal in a password.
  password: z.string().min(1, "password_required").max(PASSWORD_MAX_LENGTH, "password_too_long"),
  /** Whether the operator used Generate (recorded in the audit log; never the password). */
  generated: z.boolean().optional().default(false),
  /** Also sign the user out everywhere afterwards (needs sessions:revoke; the dialog's default). */
  signOutEverywhere: z.boolean().optional().default(false),
});
export type SetPasswordInput = z.output<typeof setPasswordSchema>;

export const sendResetEmailSchema = baseSchema;
export type SendResetEmailInput = z.output<typeof sendResetEmailSchema>;

/** An optional absolute https URL (the reset page redirects there afterwards). */
export const resultUrlSchema = z
  .string()
  .trim()
  .max(2000, "result_url")
  .refine((value) => {
    if (value === "") return true;
    try {
      const url = new URL(value);
      return url.protocol === "https:" && url.username === "" && url.password === "";
    } catch {
      return false;
    }
  }, "result_url")
  .optional()
  .transform((value) => (value ? value : undefined));

export const createTicketSchema = baseSchema.extend({
  ttlSec: z.coerce
    .number()
    .int("ttl_range")
    .min(TICKET_TTL_MIN_SEC, "ttl_range")
    .max(TICKET_TTL_MAX_SEC, "ttl_range")
    .default(TICKET_TTL_DEFAULT_SEC),
  markEmailAsVerified: z.boolean().optional().default(false),
  resultUrl: resultUrlSchema,
});
export type CreateTicketInput = z.output<typeof createTicketSchema>;

/** Lifetimes offered in the reset-link dialog (seconds). */
export const TICKET_TTL_CHOICES = [
  900,
  3600,
  4 * 3600,
  24 * 3600,
  3 * 24 * 3600,
  TICKET_TTL_MAX_SEC,
] as const;
