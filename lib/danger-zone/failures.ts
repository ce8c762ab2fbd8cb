import "server-only";
import {
  Auth0CredentialsError,
  Auth0InvalidRequestError,
  Auth0MisconfiguredError,
  Auth0NotFoundError,
  Auth0RateLimitError,
  Auth0ScopeError,
  type Auth0Error,
} from "@/lib/auth0";
import { mayHaveReachedAuth0, upstreamFailureKind, type UpstreamFailureKind } from "@/lib/auth0/errors";
import type { AuditDetailsInput } from "@/lib/audit/details";
import { classifyPasswordPolicyError, type PasswordPolicyErrorKind } from "./policy-errors";

/** Every way a Danger Zone operation can be refused or fail, as values the action layer localizes. */
export type PasswordFailure =
  | { code: "not_found" }
  | { code: "no_database_identity"; providers: string[] }
  | { code: "no_email" }
  | { code: "audit_unavailable" }
  | { code: "in_progress" }
  | { code: "key_mismatch" }
  /** The reset link's redirect is not on `RESET_RESULT_URL_HOSTS` (or carries a secret-looking query). */
  | { code: "result_url_not_allowed"; allowedHosts: readonly string[] }
  | { code: "policy"; kind: PasswordPolicyErrorKind }
  | { code: "rate_limited"; retryAt: string }
  /**
   * No usable answer. `kind` says why (for the message); `isOutcomeUnknown` means the request
   * left Passdesk and Auth0 may or may not have carried it out (timeout, broken connection,
   * unreadable answer) — the operator must check before trying again.
   */
  | { code: "upstream_unavailable"; kind: Exclude<UpstreamFailureKind, "rate_limited">; isOutcomeUnknown: boolean }
  | { code: "rejected"; auth0Message: string }
  /** Passdesk's Auth0 credentials or scopes are wrong, or AUTH0_DOMAIN is not an Auth0 tenant. */
  | { code: "misconfigured" }
  /** Auth0 answered 403 insufficient_scope and named what the M2M application lacks (any one of `scopes`). */
  | { code: "missing_scope"; scopes: readonly string[] }
  /** The user is already in the state the operation would bring about: nothing was sent. */
  | { code: "no_change"; state: NoChangeState }
  /** An option of the request needs a permission the operator lacks (checked before any call). */
  | { code: "not_permitted"; permission: string }
  /** The MFA method to remove is not (or no longer) enrolled. */
  | { code: "method_not_found" }
  /**
   * The user is protected (PROTECTED_USERS_QUERY, PROTECTED_CONNECTIONS) and this operator has no
   * approved, unused request for exactly this operation: nothing was sent. `isPending`: one waits.
   */
  | { code: "approval_required"; isPending: boolean };

/** Why an account operation had nothing to do. */
export type NoChangeState = "not_locked" | "already_blocked" | "not_blocked" | "already_verified" | "no_methods";

export type PasswordResult<T> = { ok: true; data: T } | { ok: false; failure: PasswordFailure };

export function failure(value: PasswordFailure): { ok: false; failure: PasswordFailure } {
  return { ok: false, failure: value };
}

/** Maps an Auth0 error to a failure value; 400s on a password PATCH become policy errors when named. */
export function failureFromAuth0Error(error: Auth0Error): PasswordFailure {
  if (error instanceof Auth0RateLimitError)
    return { code: "rate_limited", retryAt: error.retryAt.toISOString() };
  if (error instanceof Auth0ScopeError && error.scopes.length > 0) return { code: "missing_scope", scopes: error.scopes };
  if (error instanceof Auth0CredentialsError || error instanceof Auth0ScopeError || error instanceof Auth0MisconfiguredError)
    return { code: "misconfigured" };
  if (error instanceof Auth0NotFoundError) return { code: "not_found" };
  if (error instanceof Auth0InvalidRequestError) {
    const kind = classifyPasswordPolicyError(error);
    return kind ? { code: "policy", kind } : { code: "rejected", auth0Message: error.message };
  }
  const kind = upstreamFailureKind(error);
  return {
    code: "upstream_unavailable",
    kind: kind === "rate_limited" ? "error_status" : kind,
    isOutcomeUnknown: mayHaveReachedAuth0(error),
  };
}

/** Audit details describing an Auth0 failure (status, Auth0's code and message, wait time). */
export function failureDetails(error: Auth0Error, durationMs: number): AuditDetailsInput {
  const mapped = failureFromAuth0Error(error);
  return {
    httpStatus: error.status === 0 ? null : error.status,
    // Policy errors name themselves in the message ("PasswordStrengthError: …"), not in errorCode.
    auth0ErrorCode: /^(\w+Error):/.exec(error.message)?.[1] ?? error.errorCode,
    auth0Message: error.status === 0 ? undefined : error.message,
    errorCode:
      mapped.code === "upstream_unavailable"
        ? mapped.kind === "timeout"
          ? "timeout"
          : mapped.kind === "error_status"
            ? "upstream_error"
            : mapped.kind
        : mapped.code,
    retryAfterSec:
      error instanceof Auth0RateLimitError
        ? Math.max(0, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000))
        : undefined,
    durationMs,
  };
}

/** Error name and message only: never the error object, whose cause chain could hold a request. */
export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message.slice(0, 300) }
    : { name: "unknown", message: "" };
}
