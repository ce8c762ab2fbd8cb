import "server-only";
import { Auth0Error } from "@/lib/auth0";
import { getDangerZoneDeps } from "@/lib/danger-zone/deps";
import { resolveScope } from "@/lib/scope/resolve";
import type { OperatorScope } from "@/lib/scope/types";
import { getEnv } from "@/lib/server-env";
import type { CreateBulkJobInput as CreateInput } from "@/lib/validations/bulk";
import type { BulkSourceInput } from "@/lib/validations/bulk";
import type { CsvProblem } from "./csv";
import { createBulkJob, decideBulkJob, type BulkActor, type BulkJobFailure } from "./jobs";
import { countPreview, type BulkOperation, type PreviewCounts, type PreviewRow } from "./operations";
import { previewBulkSource } from "./preview";
import { approverCoversJob, scopePreviewRows } from "./scope";

/**
 * What the bulk actions call: the preview is always recomputed on the server from the source
 * (a preview sent by the browser is never trusted), then stored as an approval request.
 */

export type BulkServiceFailure =
  | CsvProblem
  | BulkJobFailure
  | { code: "search_failed" }
  | { code: "upstream"; message: string }
  /** The approver's scope does not cover every user of the job (issue 16). */
  | { code: "approver_out_of_scope" };

/** Preview rows the page lists (all are counted). */
export const PREVIEW_ROWS_SHOWN = 200;

export type BulkPreviewData = { counts: PreviewCounts; total: number; rows: PreviewRow[] };

/** The preview as the requester may see it: only users in their scope (lib/bulk/scope.ts). */
async function preview(source: BulkSourceInput, operation: BulkOperation, scope: OperatorScope | null) {
  const deps = await getDangerZoneDeps();
  try {
    const resolved = source.kind === "search" && scope !== null ? await resolveScope(scope, deps.api) : undefined;
    const result = await previewBulkSource(deps.api, source, operation, { searchScope: resolved });
    if (!result.ok) return result;
    return { ...result, rows: await scopePreviewRows(deps.api, scope, result.rows, source.kind, operation) };
  } catch (error) {
    if (error instanceof Auth0Error) return { ok: false as const, problem: { code: "upstream" as const, message: error.message } };
    throw error;
  }
}

export async function previewBulk(
  source: BulkSourceInput,
  operation: BulkOperation,
  scope: OperatorScope | null,
): Promise<{ ok: true; data: BulkPreviewData } | { ok: false; failure: BulkServiceFailure }> {
  const result = await preview(source, operation, scope);
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
  const result = await preview(input.source, input.operation, actor.operator.scope);
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

/**
 * Four-eyes decision (lib/bulk/jobs.ts decideBulkJob). A scoped approver may approve only a job
 * whose every user is in their scope, checked at Auth0 now; rejecting sends nothing and stays open.
 */
export async function decideBulkJobInScope(
  input: { jobId: string; decision: "approve" | "reject"; reason: string },
  actor: BulkActor,
): Promise<{ ok: true; data: { status: string } } | { ok: false; failure: BulkServiceFailure }> {
  const deps = await getDangerZoneDeps();
  if (input.decision === "approve") {
    let covers: boolean;
    try {
      covers = await approverCoversJob(deps.db, deps.api, actor.operator.scope, input.jobId);
    } catch (error) {
      if (error instanceof Auth0Error) return { ok: false, failure: { code: "upstream", message: error.message } };
      throw error;
    }
    if (!covers) return { ok: false, failure: { code: "approver_out_of_scope" } };
  }
  const decided = await decideBulkJob(deps.db, input, actor);
  return decided.ok ? decided : { ok: false, failure: decided.error };
}
