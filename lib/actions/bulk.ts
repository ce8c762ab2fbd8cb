"use server";

import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { controlBulkJob } from "@/lib/bulk/jobs";
import { decideBulkJobInScope, previewBulk, requestBulkJob, type BulkServiceFailure } from "@/lib/bulk/service";
import { getPrisma } from "@/lib/db";
import { bulkJobControlSchema, bulkPreviewSchema, createBulkJobSchema, decideBulkJobSchema } from "@/lib/validations/bulk";
import { fourEyesActionFailure } from "./four-eyes-failure";
import { action, actionFailure, defineActions, type ActionFailure } from "./safe-action";

/** One localized message per way a bulk request can be refused (messages/<locale>/bulk.json). */
async function toActionFailure(failure: BulkServiceFailure): Promise<ActionFailure> {
  const t = await getTranslations("bulk.errors");
  switch (failure.code) {
    case "too_large":
      return actionFailure("invalid", t("tooLarge", { megabytes: Math.round(failure.maxBytes / 1024 / 1024) }));
    case "not_utf8":
      return actionFailure("invalid", t("notUtf8"));
    case "empty":
      return actionFailure("invalid", t("empty"));
    case "bad_header":
      return actionFailure("invalid", t("badHeader", { found: failure.found }));
    case "malformed":
      return actionFailure("invalid", t("malformed", { line: failure.line }));
    case "too_many_rows":
      return actionFailure("invalid", t("tooManyRows", { rows: failure.rows, maxRows: failure.maxRows }));
    case "formula":
      return actionFailure("invalid", t("formula", { lines: failure.lines.join(", ") }));
    case "invalid_value":
      return actionFailure("invalid", t("invalidValue", { column: failure.column, lines: failure.lines.join(", ") }));
    case "duplicate":
      return actionFailure("invalid", t("duplicate", { lines: failure.lines.join(", ") }));
    case "search_failed":
    case "upstream":
      return actionFailure("upstream", t("upstream"));
    case "nothing_to_do":
      return actionFailure("invalid", t("nothingToDo"));
    case "approver_out_of_scope":
      return actionFailure("forbidden", t("approverOutOfScope"));
    default:
      return fourEyesActionFailure(failure, t);
  }
}

/** What would happen, row by row (nothing is stored). */
export const { previewBulkJobAction } = defineActions({ previewBulkJobAction: action(
  "bulk:run",
  bulkPreviewSchema,
  async (input, { operator }) => {
    const result = await previewBulk(input.source, input.operation, operator.scope);
    return result.ok ? result : toActionFailure(result.failure);
  },
) });

/** Stores the job as a request another admin must approve. */
export const { createBulkJobAction } = defineActions({ createBulkJobAction: action(
  "bulk:run",
  createBulkJobSchema,
  async (input, actor) => {
    const result = await requestBulkJob(input, actor);
    if (!result.ok) return toActionFailure(result.failure);
    revalidatePath("/bulk");
    return result;
  },
) });

/** Four-eyes: approve or reject someone else's request (the service refuses one's own). */
export const { decideBulkJobAction } = defineActions({ decideBulkJobAction: action(
  "approvals:decide",
  decideBulkJobSchema,
  async (input, actor) => {
    const result = await decideBulkJobInScope(input, actor);
    if (!result.ok) return toActionFailure(result.failure);
    revalidatePath(`/bulk/${input.jobId}`);
    return result;
  },
) });

/** Pause, resume or cancel a job. */
export const { controlBulkJobAction } = defineActions({ controlBulkJobAction: action(
  "bulk:run",
  bulkJobControlSchema,
  async (input, actor) => {
    const result = await controlBulkJob(await getPrisma(), input, actor);
    if (!result.ok) return toActionFailure(result.error);
    revalidatePath(`/bulk/${input.jobId}`);
    return result;
  },
) });
