import { z } from "zod";
import { createTicketSchema, reasonSchema, resultUrlSchema, userIdSchema } from "./danger-zone";

/**
 * Inputs of the protected-user approval actions (lib/actions/approvals.ts). The terms are the
 * Danger Zone options with the same bounds as the dialogs' own schemas; never a password.
 */

export const approvalTermsInputSchema = z.discriminatedUnion("operation", [
  // Strict: anything else (a password!) is refused, never silently dropped.
  z.strictObject({ operation: z.literal("password.set"), signOutEverywhere: z.boolean() }),
  z.strictObject({ operation: z.literal("password.reset_email") }),
  z.strictObject({
    operation: z.literal("password.ticket"),
    ttlSec: createTicketSchema.shape.ttlSec,
    markEmailAsVerified: z.boolean(),
    resultUrl: resultUrlSchema.transform((value) => value ?? null),
  }),
]);

export const requestPasswordApprovalSchema = z.object({
  userId: userIdSchema,
  reason: reasonSchema,
  terms: approvalTermsInputSchema,
});

export const approvalIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9]+$/, "approval_id");

export const decidePasswordApprovalSchema = z.object({
  approvalId: approvalIdSchema,
  decision: z.enum(["approve", "reject"]),
  reason: reasonSchema,
});
