import { NextResponse } from "next/server";
import { defineAuditReadRoute, invalidParamsResponse } from "@/lib/http/route";
import { listAuditPage } from "@/lib/audit-view/service";
import { parseAuditQuery } from "@/lib/validations/audit";

/**
 * GET /api/audit/events?actor=&target=&action=&outcome=&from=&to=&view=&cursor=&limit= — one
 * page of the audit log, newest first, for the audit page's client-side paging. Support
 * operators get only their own events, whatever the parameters say.
 */
export const GET = defineAuditReadRoute(async (request, { meta, scope }) => {
  const parsed = parseAuditQuery(request.nextUrl.searchParams);
  if (!parsed.success) return invalidParamsResponse(parsed.error.issues, meta.requestId);
  const page = await listAuditPage(scope, parsed.data.state, parsed.data.limit);
  return NextResponse.json(page, { headers: { "Cache-Control": "private, no-store" } });
});
