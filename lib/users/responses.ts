import "server-only";
import { jsonError } from "@/lib/http/route";
import {
  Auth0CredentialsError,
  Auth0Error,
  Auth0InvalidRequestError,
  Auth0MisconfiguredError,
  Auth0NotFoundError,
  Auth0RateLimitError,
  Auth0ScopeError,
  upstreamFailureKind,
} from "@/lib/auth0/errors";

/** A failed users read, as the browser sees it: a stable code to translate and a safe message. */
export type UsersErrorDto = {
  status: number;
  code: string;
  message: string;
  retryAt: string | null;
  auth0ErrorCode: string | null;
};

const PASSED_THROUGH_400 = new Set(["invalid_paging", "too_long", "unbalanced_query"]);

/**
 * Status codes say whose fault it is: 400 the request (with Auth0's own message, e.g. a Lucene
 * syntax error), 429 slow down (with `retryAt`), 404 not there, 502 Auth0 or Passdesk's Auth0
 * configuration, 504 Auth0 did not answer in time. Never a 500: the failure is understood. Null for anything not from Auth0.
 */
export function toUsersErrorDto(error: unknown): UsersErrorDto | null {
  if (!(error instanceof Auth0Error)) return null;
  const base = { message: error.message, retryAt: null, auth0ErrorCode: error.errorCode ?? null };
  if (error instanceof Auth0RateLimitError) {
    return { ...base, status: 429, code: "rate_limited", retryAt: error.retryAt.toISOString() };
  }
  if (error instanceof Auth0InvalidRequestError) {
    return {
      ...base,
      status: 400,
      code: PASSED_THROUGH_400.has(error.errorCode ?? "") ? (error.errorCode as string) : "invalid_query",
    };
  }
  if (error instanceof Auth0NotFoundError) return { ...base, status: 404, code: "not_found" };
  if (error instanceof Auth0ScopeError || error instanceof Auth0CredentialsError || error instanceof Auth0MisconfiguredError) {
    return { ...base, status: 502, code: "upstream_misconfigured" };
  }
  // The kind picks the message: a timeout and an untrusted certificate need different advice
  // than "Auth0 is down"; everything else (5xx, broken connection, unreadable answer) is that.
  const kind = upstreamFailureKind(error);
  if (kind === "timeout") return { ...base, status: 504, code: "upstream_timeout" };
  if (kind === "tls") return { ...base, status: 502, code: "upstream_untrusted" };
  return { ...base, status: 502, code: "upstream_unavailable" };
}

/** The JSON answer of a route handler for a failed Auth0 call, or null if it is not one. */
export function auth0ErrorResponse(error: unknown, requestId: string): Response | null {
  const dto = toUsersErrorDto(error);
  if (!dto) return null;
  const response = jsonError(dto.status, dto.code, dto.message, requestId, {
    auth0ErrorCode: dto.auth0ErrorCode,
    ...(dto.retryAt ? { retryAt: dto.retryAt } : {}),
  });
  if (dto.retryAt) {
    const seconds = Math.max(1, Math.ceil((Date.parse(dto.retryAt) - Date.now()) / 1000));
    response.headers.set("Retry-After", String(seconds));
  }
  return response;
}
