import { NextResponse } from "next/server";
import { defineAuditReadRoute, jsonError } from "@/lib/http/route";
import { auditReadErrorResponse } from "@/lib/audit-view/responses";
import { findAuditEvent } from "@/lib/audit-view/service";

const SEQUENCE_PATTERN = /^[1-9]\d{0,17}$/;

/**
 * GET /api/audit/events/:sequence — one event for the detail drawer (404 outside the scope too:
 * another operator's event for support, an out-of-scope user's for a scoped reader).
 */
export const GET = defineAuditReadRoute<{ sequence: string }>(async (_request, { meta, params, scope }) => {
  if (!SEQUENCE_PATTERN.test(params.sequence)) {
    return jsonError(400, "invalid_params", "sequence must be an event sequence number", meta.requestId, {
      parameter: "sequence",
    });
  }
  let event;
  try {
    event = await findAuditEvent(scope, params.sequence);
  } catch (error) {
    const response = auditReadErrorResponse(error, meta.requestId);
    if (response) return response;
    throw error;
  }
  if (!event) return jsonError(404, "not_found", "There is no such audit event.", meta.requestId);
  return NextResponse.json(event, { headers: { "Cache-Control": "private, no-store" } });
});
