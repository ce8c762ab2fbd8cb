import "server-only";
import type { NextRequest } from "next/server";
import { UnauthenticatedError } from "@/lib/auth/errors";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { requireOperator } from "@/lib/auth/session";
import { jsonError } from "@/lib/http/route";
import { logger } from "@/lib/logger";
import { requestMetaFrom, type RequestMeta } from "@/lib/request-meta";
import { auditScopeFor } from "./service";
import type { AuditScope } from "./scope";

export type AuditRouteContext<Params> = {
  operator: OperatorIdentity;
  meta: RequestMeta;
  params: Params;
  scope: AuditScope;
};

/**
 * Like defineRoute, for "audit:read OR audit:read-own": authenticate (401), decide the scope
 * from the permission table (403 when neither), then run with the scope the handler must apply.
 */
export function defineAuditReadRoute<Params = Record<string, never>>(
  handler: (request: NextRequest, context: AuditRouteContext<Params>) => Promise<Response>,
) {
  return async (request: NextRequest, routeContext: { params: Promise<Params> }): Promise<Response> => {
    const meta = requestMetaFrom(request.headers);
    let operator: OperatorIdentity;
    try {
      operator = await requireOperator();
    } catch (error) {
      if (error instanceof UnauthenticatedError)
        return jsonError(401, "unauthenticated", "Sign in to continue.", meta.requestId);
      throw error;
    }
    const scope = auditScopeFor(operator);
    if (!scope) return jsonError(403, "forbidden", "Your role does not allow this.", meta.requestId);
    try {
      return await handler(request, { operator, meta, params: await routeContext.params, scope });
    } catch (error) {
      logger.error(
        {
          requestId: meta.requestId,
          path: request.nextUrl.pathname,
          err: error instanceof Error ? { name: error.name, message: error.message } : String(error),
        },
        "audit route handler failed",
      );
      return jsonError(500, "internal", "Something went wrong. Nothing was changed.", meta.requestId);
    }
  };
}

/** 400 for the first invalid query parameter, naming it (same body shape as /api/users). */
export function invalidParamsResponse(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  requestId: string,
): Response {
  const issue = issues[0];
  const parameter = issue?.path.map(String).join(".") || "query";
  return jsonError(400, "invalid_params", `${parameter} ${issue?.message ?? "is invalid"}`, requestId, {
    parameter,
  });
}
