import { z } from "zod";

/**
 * What a protected user's approval covers: one password operation with its options (never a
 * password). The action later performed must carry exactly these terms to use the approval.
 * Pure (no I/O); shared by the services, the validation schemas and the approvals page.
 */

export const APPROVAL_OPERATIONS = ["password.set", "password.reset_email", "password.ticket"] as const;
export type ApprovalOperation = (typeof APPROVAL_OPERATIONS)[number];

/** The options that change what an operation does; the reason and the password are not terms. */
export const approvalTermsSchema = z.discriminatedUnion("operation", [
  z.object({ operation: z.literal("password.set"), signOutEverywhere: z.boolean() }).strict(),
  z.object({ operation: z.literal("password.reset_email") }).strict(),
  z
    .object({
      operation: z.literal("password.ticket"),
      ttlSec: z.number().int().positive(),
      markEmailAsVerified: z.boolean(),
      resultUrl: z.string().nullable(),
    })
    .strict(),
]);
export type ApprovalTerms = z.infer<typeof approvalTermsSchema>;

/** Whether two sets of terms describe the same operation with the same options. */
export function isSameTerms(a: ApprovalTerms, b: ApprovalTerms): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}

/** Everything but the operation: what the request stores as `terms`. */
export function optionsOf(terms: ApprovalTerms): Record<string, string | number | boolean | null> {
  const { operation: _operation, ...options } = terms;
  return options;
}

/**
 * The terms a password operation is gated on, or undefined when it needs no approval of its
 * own: a bulk job's item (`auditDetails.bulkJobId`) was approved with its job by another admin.
 */
export function gatedTerms(options: { auditDetails?: Readonly<Record<string, unknown>> | undefined }, terms: ApprovalTerms): ApprovalTerms | undefined {
  return options.auditDetails?.bulkJobId ? undefined : terms;
}

/** The row's terms (as stored), or null when they no longer parse (never usable then). */
export function termsOfRow(row: { operation: string; terms: unknown }): ApprovalTerms | null {
  const parsed = approvalTermsSchema.safeParse({ ...(row.terms as object), operation: row.operation });
  return parsed.success ? parsed.data : null;
}
