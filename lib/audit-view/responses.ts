import "server-only";
import { invalidParamsResponse } from "@/lib/http/route";
import { auth0ErrorResponse } from "@/lib/users/responses";
import { AuditScopeFilterError } from "./service";

/**
 * The audit routes' answer for a read that could not be scoped: a scope filter that cannot be
 * applied (400 naming `scopeOf`, the same for an unknown and an unscoped operator), or Auth0
 * unable to say who is in a scope (its usual status). Null for anything else.
 */
export function auditReadErrorResponse(error: unknown, requestId: string): Response | null {
  if (error instanceof AuditScopeFilterError) {
    return invalidParamsResponse([{ path: ["scopeOf"], message: "must be an operator with a scope" }], requestId);
  }
  return auth0ErrorResponse(error, requestId);
}
