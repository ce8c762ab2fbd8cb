import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { ForbiddenError, UnauthenticatedError } from "@/lib/auth/errors";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { Permission } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { logger } from "@/lib/logger";
import { requestMetaFrom, type RequestMeta } from "@/lib/request-meta";

export type RouteContext<Params> = { operator: OperatorIdentity; meta: RequestMeta; params: Params };

/** JSON error body every route handler uses: a stable code, a safe message, the request id. */
export function jsonError(status: number, code: string, message: string, requestId?: string, extra?: Record<string, unknown>) {
  return NextResponse.json({ error: { code, message, requestId, ...extra } }, { status, headers: { "Cache-Control": "no-store" } });
}

/**
 * The one way to define a route handler: authenticate (401), check the permission table (403),
 * then run. Unexpected errors are logged with the request id and answered with a generic 500.
 */
export function defineRoute<Params = Record<string, never>>(
  permission: Permission,
  handler: (request: NextRequest, context: RouteContext<Params>) => Promise<Response>,
) {
  return async (request: NextRequest, routeContext: { params: Promise<Params> }): Promise<Response> => {
    const meta = requestMetaFrom(request.headers);
    let operator: OperatorIdentity;
    try {
      operator = await requirePermission(permission);
    } catch (error) {
      if (error instanceof UnauthenticatedError) return jsonError(401, "unauthenticated", "Sign in to continue.", meta.requestId);
      if (error instanceof ForbiddenError) return jsonError(403, "forbidden", "Your role does not allow this.", meta.requestId);
      throw error;
    }
    try {
      return await handler(request, { operator, meta, params: await routeContext.params });
    } catch (error) {
      logger.error(
        { requestId: meta.requestId, path: request.nextUrl.pathname, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
        "route handler failed",
      );
      return jsonError(500, "internal", "Something went wrong. Nothing was changed.", meta.requestId);
    }
  };
}
