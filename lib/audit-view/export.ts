import "server-only";
import { beginAuditedOperation } from "@/lib/audit/append";
import { auditCsvHeader, auditEventToCsvLine, auditEventToNdjsonLine } from "@/lib/audit/export-format";
import { exportAuditEvents } from "@/lib/audit/query";
import { getManagementApi, type ManagementApi } from "@/lib/auth0/client";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { getPrisma } from "@/lib/db";
import { scopeDetail } from "@/lib/operators/service";
import { logger } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import type { AuditExportFormat, AuditSearchState } from "@/lib/validations/audit";
import { toAuditFilters, type AuditScope } from "./scope";
import { createAuditGate, exportVisibleAuditEvents } from "./visible";

/** Fewer, larger network writes than one per row. */
const CHUNK_CHARS = 64 * 1024;

const CONTENT_TYPES: Record<AuditExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

export function exportFileName(format: AuditExportFormat, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return `passdesk-audit-${stamp}.${format}`;
}

export class AuditExportUnavailableError extends Error {
  constructor(cause: unknown) {
    super("The export could not be recorded in the audit log, so it was not started.", { cause });
    this.name = "AuditExportUnavailableError";
  }
}

/**
 * A streamed export of the filtered set, recorded as an `audit.exported` operation:
 * - PENDING before the first row leaves (fail-closed like every audited operation: if reading
 *   the log cannot be recorded, nothing is read — throws AuditExportUnavailableError);
 * - SUCCEEDED with `{format, rowCount}` once the last row is written, before the response ends;
 * - FAILED with the rows sent so far when the client goes away (`aborted`) or the query fails.
 * A single event at the end alone would miss exports the client abandons half-way, which still
 * carried data out; one at the start alone could not say how much.
 * `scope` is the effective one (lib/audit-view/service withScopeFilter already applied): with a
 * user scope the rows are the same set the page shows, asked at Auth0 batch by batch.
 */
export async function createAuditExportResponse(input: {
  operator: OperatorIdentity;
  meta: RequestMeta;
  scope: AuditScope;
  state: AuditSearchState;
  format: AuditExportFormat;
  /** Rows are batched into chunks of about this many characters (tests use 1 to see rows one by one). */
  chunkChars?: number;
  api?: ManagementApi;
}): Promise<Response> {
  const { operator, meta, scope, format } = input;
  const db = await getPrisma();
  const operation = await beginAuditedOperation(db, {
    actor: { operatorId: operator.id, email: operator.email, role: operator.role },
    action: "audit.exported",
    request: meta,
    details: {
      format,
      scopeOf: input.state.scopeOf || undefined,
      actorScope: scopeDetail(operator.scope) ?? undefined,
    },
  }).catch((error: unknown) => {
    throw new AuditExportUnavailableError(error);
  });

  // The export is the whole filtered set, not the page the operator was looking at.
  const filters = toAuditFilters({ ...input.state, cursor: "" }, scope);
  const rows = scope.users
    ? exportVisibleAuditEvents(db, filters, createAuditGate(scope.users, input.api ?? getManagementApi()))
    : exportAuditEvents(db, filters);
  const toLine = format === "csv" ? auditEventToCsvLine : auditEventToNdjsonLine;
  const chunkChars = input.chunkChars ?? CHUNK_CHARS;
  const encoder = new TextEncoder();
  let rowCount = 0;
  let isSettled = false;

  async function settle(outcome: "succeeded" | "failed", errorCode?: string): Promise<void> {
    if (isSettled) return;
    isSettled = true;
    try {
      if (outcome === "succeeded") await operation.succeed({ format, rowCount });
      else await operation.fail({ format, rowCount, errorCode });
    } catch (error) {
      // The pending event stays unresolved and shows as "outcome unknown" — still a record.
      logger.error(
        { requestId: meta.requestId, err: error instanceof Error ? error.message : String(error) },
        "could not record export outcome",
      );
    }
  }

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(auditCsvHeader()));
    },
    async pull(controller) {
      try {
        let chunk = "";
        while (chunk.length < chunkChars) {
          const next = await rows.next();
          if (next.done) {
            if (chunk !== "") controller.enqueue(encoder.encode(chunk));
            await settle("succeeded");
            controller.close();
            return;
          }
          rowCount += 1;
          chunk += toLine(next.value);
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        logger.error(
          { requestId: meta.requestId, err: error instanceof Error ? error.message : String(error) },
          "audit export failed",
        );
        await settle("failed", "export_failed");
        controller.error(error);
      }
    },
    async cancel() {
      await settle("failed", "aborted");
      await rows.return(undefined);
    },
  });

  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${exportFileName(format, new Date())}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Request-Id": meta.requestId,
    },
  });
}
