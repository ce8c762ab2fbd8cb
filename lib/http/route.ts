import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { AuditScope } from "@/lib/audit-view/scope";
import { auditScopeFor } from "@/lib/audit-view/service";
import { ForbiddenError, MfaEnrolmentRequiredError, StepUpRequiredError, UnauthenticatedError } from "@/lib/auth/errors";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { Permission } from "@/lib/auth/permissions";
import { requireOperator, requirePermission } from "@/lib/auth/session";
import { getRequestLogger, runWithRequestLogger } from "@/lib/logger";
import { requestMetaFrom, type RequestMeta } from "@/lib/request-meta";
import { operatorRateLimitFromEnv, takeOperatorCall } from "./operator-rate-limit";

export type RouteContext<Params> = { operator: OperatorIdentity; meta: RequestMeta; params: Params };

/** What an audit read route gets besides: the scope its query must apply. */
export type AuditRouteContext<Params> = RouteContext<Params> & { scope: AuditScope };

/**
 * Who may call a route: resolves the operator and whatever the handler needs from the access
 * decision, or throws UnauthenticatedError (401) / ForbiddenError (403).
 */
type Authorize<Extra> = () => Promise<{ operator: OperatorIdentity; extra: Extra }>;

/** JSON error body every route handler uses: a stable code, a safe message, the request id. */
export function jsonError(status: number, code: string, message: string, requestId?: string, extra?: Record<string, unknown>) {
  return NextResponse.json({ error: { code, message, requestId, ...extra } }, { status, headers: { "Cache-Control": "no-store" } });
}

/**
 * The route as a template (`GET /api/users/[id]`): the log line names the route, never the user
 * id or the query string a caller sent.
 */
function routeName(request: NextRequest, params: unknown): string {
  let path = request.nextUrl.pathname;
  if (typeof params === "object" && params !== null) {
    for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) {
        if (typeof item !== "string" || item === "") continue;
        path = path.split(`/${encodeURIComponent(item)}`).join(`/[${key}]`).split(`/${item}`).join(`/[${key}]`);
      }
    }
  }
  return `${request.method} ${path}`;
}

/**
 * The one way to define a route handler: authenticate (401), check the permission table (403),
 * take one call from the operator's budget (429 with Retry-After; lib/http/operator-rate-limit),
 * then run. Unexpected errors are logged with the request id and answered with a generic 500
 * that carries the request id, so support can find the log line. One log line per call: route,
 * operator, status, duration — never parameters.
 */
export function defineRoute<Params = Record<string, never>>(
  permission: Permission,
  handler: (request: NextRequest, context: RouteContext<Params>) => Promise<Response>,
) {
  return guardedRoute<Params, object>(
    async () => ({ operator: await requirePermission(permission), extra: {} }),
    handler,
  );
}

/**
 * defineRoute for "audit:read OR audit:read-own": the permission table decides the scope (all
 * events, or the operator's own), 403 when neither; the handler must apply `scope`.
 */
export function defineAuditReadRoute<Params = Record<string, never>>(
  handler: (request: NextRequest, context: AuditRouteContext<Params>) => Promise<Response>,
) {
  return guardedRoute<Params, { scope: AuditScope }>(async () => {
    const operator = await requireOperator();
    const scope = auditScopeFor(operator);
    if (!scope) throw new ForbiddenError("audit:read");
    return { operator, extra: { scope } };
  }, handler);
}

function guardedRoute<Params, Extra extends object>(
  authorize: Authorize<Extra>,
  handler: (request: NextRequest, context: RouteContext<Params> & Extra) => Promise<Response>,
) {
  return async (request: NextRequest, routeContext: { params: Promise<Params> }): Promise<Response> => {
    const meta = requestMetaFrom(request.headers);
    return runWithRequestLogger({ requestId: meta.requestId }, async () => {
      const startedAt = performance.now();
      const call: { operatorId: string | null; status: number | "error" } = { operatorId: null, status: "error" };
      let params: Params | undefined;
      try {
        params = await routeContext.params;
        const response = await runRoute(authorize, handler, request, params, meta, call);
        call.status = response.status;
        return response;
      } finally {
        (await getRequestLogger()).info(
          {
            route: routeName(request, params),
            operatorId: call.operatorId,
            outcome: call.status,
            durationMs: Math.round(performance.now() - startedAt),
          },
          "route handler",
        );
      }
    });
  };
}

async function runRoute<Params, Extra extends object>(
  authorize: Authorize<Extra>,
  handler: (request: NextRequest, context: RouteContext<Params> & Extra) => Promise<Response>,
  request: NextRequest,
  params: Params,
  meta: RequestMeta,
  call: { operatorId: string | null },
): Promise<Response> {
  let access: { operator: OperatorIdentity; extra: Extra };
  try {
    access = await authorize();
  } catch (error) {
    if (error instanceof UnauthenticatedError) return jsonError(401, "unauthenticated", "Sign in to continue.", meta.requestId);
    if (error instanceof StepUpRequiredError) {
      return jsonError(403, "step_up_required", "Confirm your identity to continue (step-up).", meta.requestId);
    }
    if (error instanceof MfaEnrolmentRequiredError) {
      return jsonError(403, "mfa_enrolment_required", "Set up two-step verification first.", meta.requestId);
    }
    if (error instanceof ForbiddenError) return jsonError(403, "forbidden", "Your role does not allow this.", meta.requestId);
    throw error;
  }
  const { operator, extra } = access;
  call.operatorId = operator.id;
  const budget = takeOperatorCall(operator.id, operatorRateLimitFromEnv());
  if (!budget.ok) {
    const response = jsonError(
      429,
      "operator_rate_limited",
      `Too many requests from your account at once. Try again in ${budget.retryAfterSeconds} s.`,
      meta.requestId,
      { retryAfterSeconds: budget.retryAfterSeconds },
    );
    response.headers.set("Retry-After", String(budget.retryAfterSeconds));
    return response;
  }
  return runWithRequestLogger({ requestId: meta.requestId, operatorId: operator.id }, async () => {
    try {
      return await handler(request, { ...extra, operator, meta, params });
    } catch (error) {
      (await getRequestLogger()).error(
        { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
        "route handler failed",
      );
      return jsonError(500, "internal", "Something went wrong. Nothing was changed.", meta.requestId);
    }
  });
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
