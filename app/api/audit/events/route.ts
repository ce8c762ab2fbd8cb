import { NextResponse } from "next/server";
import { defineAuditReadRoute, invalidParamsResponse } from "@/lib/http/route";
import { auditReadErrorResponse } from "@/lib/audit-view/responses";
import { listAuditPage } from "@/lib/audit-view/service";
import { parseAuditQuery } from "@/lib/validations/audit";

/**
 * GET /api/audit/events?actor=&target=&action=&outcome=&from=&to=&view=&scopeOf=&cursor=&limit=
 * — one page of the audit log, newest first, for the audit page's client-side paging. Support
 * operators get only their own events, a scoped reader only events of users in their scope,
 * whatever the parameters say.
 */
export const GET = defineAuditReadRoute(async (request, { meta, scope }) => {
  const parsed = parseAuditQuery(request.nextUrl.searchParams);
  if (!parsed.success) return invalidParamsResponse(parsed.error.issues, meta.requestId);
  try {
    const page = await listAuditPage(scope, parsed.data.state, parsed.data.limit);
    return NextResponse.json(page, { headers: { "Cache-Control": "private, no-store" } });
  } catch (error) {
    const response = auditReadErrorResponse(error, meta.requestId);
    if (response) return response;
    throw error;
  }
});
