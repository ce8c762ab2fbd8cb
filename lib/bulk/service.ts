import "server-only";
import { Auth0Error } from "@/lib/auth0";
import { getDangerZoneDeps } from "@/lib/danger-zone/deps";
import { getEnv } from "@/lib/server-env";
import type { CreateBulkJobInput as CreateInput } from "@/lib/validations/bulk";
import type { BulkSourceInput } from "@/lib/validations/bulk";
import type { CsvProblem } from "./csv";
import { createBulkJob, type BulkActor, type BulkJobFailure } from "./jobs";
import { countPreview, type BulkOperation, type PreviewCounts, type PreviewRow } from "./operations";
import { previewBulkSource } from "./preview";

/**
 * What the bulk actions call: the preview is always recomputed on the server from the source
 * (a preview sent by the browser is never trusted), then stored as an approval request.
 */

export type BulkServiceFailure = CsvProblem | BulkJobFailure | { code: "search_failed" } | { code: "upstream"; message: string };

/** Preview rows the page lists (all are counted). */
export const PREVIEW_ROWS_SHOWN = 200;

export type BulkPreviewData = { counts: PreviewCounts; total: number; rows: PreviewRow[] };

async function preview(source: BulkSourceInput, operation: BulkOperation) {
  const deps = await getDangerZoneDeps();
  try {
    return await previewBulkSource(deps.api, source, operation);
  } catch (error) {
    if (error instanceof Auth0Error) return { ok: false as const, problem: { code: "upstream" as const, message: error.message } };
    throw error;
  }
}

export async function previewBulk(
  source: BulkSourceInput,
  operation: BulkOperation,
): Promise<{ ok: true; data: BulkPreviewData } | { ok: false; failure: BulkServiceFailure }> {
  const result = await preview(source, operation);
  if (!result.ok) return { ok: false, failure: result.problem };
  return {
    ok: true,
    data: { counts: countPreview(result.rows), total: result.rows.length, rows: result.rows.slice(0, PREVIEW_ROWS_SHOWN) },
  };
}

export async function requestBulkJob(
  input: CreateInput,
  actor: BulkActor,
): Promise<{ ok: true; data: { jobId: string; matched: number } } | { ok: false; failure: BulkServiceFailure }> {
  const result = await preview(input.source, input.operation);
  if (!result.ok) return { ok: false, failure: result.problem };
  const deps = await getDangerZoneDeps();
  const created = await createBulkJob(
    deps.db,
    {
      operation: input.operation,
      reason: input.reason,
      source: input.source.kind,
      sourceLabel: result.sourceLabel,
      rows: result.rows,
      approvalTtlSec: getEnv().APPROVAL_TTL,
    },
    actor,
  );
  return created.ok ? created : { ok: false, failure: created.error };
}
