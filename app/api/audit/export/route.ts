import { createAuditExportResponse, AuditExportUnavailableError } from "@/lib/audit-view/export";
import { auditReadErrorResponse } from "@/lib/audit-view/responses";
import { auditScopeFor, withScopeFilter } from "@/lib/audit-view/service";
import { defineRoute, invalidParamsResponse, jsonError } from "@/lib/http/route";
import { auditExportFormatSchema, parseAuditQuery } from "@/lib/validations/audit";

/**
 * GET /api/audit/export?format=csv|ndjson&<the audit page's filters> — the whole filtered set as
 * a streamed download. Needs audit:export; the read scope is applied as well, so a role that
 * could export but only read its own events would still get only those, and a scoped reader
 * only events of users in their scope. `scopeOf` is checked before anything is recorded.
 */
export const GET = defineRoute("audit:export", async (request, { operator, meta }) => {
  const scope = auditScopeFor(operator);
  if (!scope) return jsonError(403, "forbidden", "Your role does not allow this.", meta.requestId);
  const format = auditExportFormatSchema.safeParse(request.nextUrl.searchParams.get("format") ?? "csv");
  if (!format.success) {
    return jsonError(400, "invalid_params", "format must be csv or ndjson", meta.requestId, {
      parameter: "format",
    });
  }
  const parsed = parseAuditQuery(request.nextUrl.searchParams);
  if (!parsed.success) return invalidParamsResponse(parsed.error.issues, meta.requestId);
  let effective;
  try {
    effective = await withScopeFilter(scope, parsed.data.state);
  } catch (error) {
    const response = auditReadErrorResponse(error, meta.requestId);
    if (response) return response;
    throw error;
  }
  try {
    return await createAuditExportResponse({
      operator,
      meta,
      scope: effective,
      state: parsed.data.state,
      format: format.data,
    });
  } catch (error) {
    if (error instanceof AuditExportUnavailableError) {
      return jsonError(
        503,
        "audit_unavailable",
        "The audit log is unavailable, so nothing was exported. Try again later.",
        meta.requestId,
      );
    }
    throw error;
  }
});
