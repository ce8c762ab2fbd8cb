import { z } from "zod";
import { BULK_OPERATIONS } from "@/lib/bulk/operations";
import { BULK_CSV_MAX_BYTES } from "@/lib/bulk/csv";
import { MAX_LUCENE_QUERY_LENGTH } from "@/lib/auth0/lucene";
import { reasonSchema } from "./danger-zone";
import { hasControlCharacters } from "./text";

/** Inputs of the bulk actions (lib/actions/bulk.ts). Messages are codes mapped by the UI. */

const sourceSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("csv"),
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((value) => !hasControlCharacters(value), "file_name"),
    // Base64 of the raw bytes: the server decodes and checks UTF-8 itself.
    contentBase64: z.string().max(Math.ceil((BULK_CSV_MAX_BYTES * 4) / 3) + 4, "too_large"),
  }),
  z.object({
    kind: z.literal("search"),
    query: z
      .string()
      .trim()
      .min(1, "query_empty")
      .max(MAX_LUCENE_QUERY_LENGTH, "query_too_long")
      .refine((value) => !hasControlCharacters(value), "query_control_characters"),
  }),
]);

/** The operation decides who is skipped (social/enterprise users only for password operations). */
export const bulkPreviewSchema = z.object({
  source: sourceSchema,
  operation: z.enum(BULK_OPERATIONS).default("password.reset_email"),
});

export const createBulkJobSchema = z.object({
  source: sourceSchema,
  operation: z.enum(BULK_OPERATIONS),
  reason: reasonSchema,
});

export const bulkJobIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9]+$/, "job_id");

export const decideBulkJobSchema = z.object({
  jobId: bulkJobIdSchema,
  decision: z.enum(["approve", "reject"]),
  reason: reasonSchema,
});

export const bulkJobControlSchema = z.object({
  jobId: bulkJobIdSchema,
  command: z.enum(["pause", "resume", "cancel"]),
});

export type BulkSourceInput = z.output<typeof sourceSchema>;
export type CreateBulkJobInput = z.output<typeof createBulkJobSchema>;
