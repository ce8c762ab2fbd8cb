import { ManagementError, ManagementTimeoutError } from "auth0";
import type { z } from "zod";

/**
 * Typed domain errors for everything that can go wrong talking to Auth0. Callers branch on the
 * class, never on SDK internals. Every message here is safe to log and to show an operator: it
 * never contains a token, a client secret or a request body.
 */
/**
 * Next bundles each route and page separately, each with its own copy of this module, while
 * the Management API client is shared through globalThis (one token per process). An error
 * created in one bundle must still satisfy `instanceof` in another, so identity is a
 * registered symbol carrying the class names, not the class object.
 */
const KINDS = Symbol.for("passdesk.auth0.errorKinds");

function kindsOf(value: unknown): unknown {
  return typeof value === "object" && value !== null ? (value as { [KINDS]?: unknown })[KINDS] : undefined;
}

export abstract class Auth0Error extends Error {
  static readonly kind: string = "Auth0Error";
  /** HTTP status Auth0 answered with; 0 when no response arrived (network, TLS, timeout). */
  readonly status: number;
  /** Auth0's `errorCode` (e.g. `inexistent_user`, `invalid_paging`), when it sent one. */
  readonly errorCode: string | undefined;
  readonly [KINDS]: readonly string[];

  static [Symbol.hasInstance](value: unknown): boolean {
    const kinds = kindsOf(value);
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  constructor(message: string, status: number, errorCode: string | undefined) {
    super(message);
    this.name = new.target.kind;
    this.status = status;
    this.errorCode = errorCode;
    this[KINDS] = ["Auth0Error", new.target.kind];
  }
}

/** 404: the user, connection or ticket does not exist. */
export class Auth0NotFoundError extends Auth0Error {
  static override readonly kind = "Auth0NotFoundError";
  constructor(message = "Not found in Auth0.", errorCode?: string) {
    super(message, 404, errorCode);
  }
}

/**
 * A 404 from a collection endpoint (the users list, connections, password-change tickets): every
 * Management API has those, so the domain is not the Management API Passdesk thinks it is — a
 * wrong AUTH0_DOMAIN, a proxy in between, or an emulator lacking the endpoint. A configuration
 * problem, not "not found".
 */
export class Auth0MisconfiguredError extends Auth0Error {
  static override readonly kind = "Auth0MisconfiguredError";
  constructor(operation: string, domain: string, errorCode?: string) {
    super(
      `Auth0 answered "not found" for ${operation}, an endpoint every Auth0 Management API has: check that AUTH0_DOMAIN (${domain}) is your tenant's domain.`,
      404,
      errorCode ?? "not_management_api",
    );
  }
}

/** 403: the M2M application lacks a scope (e.g. `read:connections`): a configuration problem. */
export class Auth0ScopeError extends Auth0Error {
  static override readonly kind = "Auth0ScopeError";
  /** The scopes Auth0 expected (any one of them), when known; see lib/auth0/scopes.ts. */
  readonly scopes: readonly string[];
  constructor(
    message = "Passdesk's Auth0 application is missing a permission (scope).",
    errorCode?: string,
    scopes: readonly string[] = [],
  ) {
    super(message, 403, errorCode);
    this.scopes = scopes;
  }
}

/** 401 or a failed token request: wrong client id/secret, or a revoked grant. */
export class Auth0CredentialsError extends Auth0Error {
  static override readonly kind = "Auth0CredentialsError";
  constructor(
    message = "Passdesk could not authenticate to Auth0. Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.",
    errorCode?: string,
  ) {
    super(message, 401, errorCode);
  }
}

/** 429: Auth0's rate limit; `retryAt` says when the bucket refills. */
export class Auth0RateLimitError extends Auth0Error {
  static override readonly kind = "Auth0RateLimitError";
  readonly retryAt: Date;
  constructor(retryAt: Date, errorCode?: string) {
    super("Auth0 is rate limiting requests. Try again shortly.", 429, errorCode ?? "too_many_requests");
    this.retryAt = retryAt;
  }
}

/** 400/409: Auth0 rejected the request; `message` is Auth0's own (e.g. a Lucene syntax error). */
export class Auth0InvalidRequestError extends Auth0Error {
  static override readonly kind = "Auth0InvalidRequestError";
  constructor(message: string, errorCode?: string, status = 400) {
    super(message, status, errorCode);
  }
}

/** 5xx, network failure, TLS failure, timeout or a response that is not the JSON we expect. */
export class Auth0UnavailableError extends Auth0Error {
  static override readonly kind = "Auth0UnavailableError";
  constructor(message = "Auth0 is not reachable right now.", status = 0, errorCode?: string) {
    super(message, status, errorCode);
  }
}

/** Auth0's error body: `{statusCode, error, message, errorCode}`; OAuth errors use `error_description`. */
type ErrorBody = { message?: unknown; errorCode?: unknown; error?: unknown; error_description?: unknown };

function asErrorBody(body: unknown): ErrorBody {
  return typeof body === "object" && body !== null ? (body as ErrorBody) : {};
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** Upper bound for Auth0-provided messages we pass on, so a hostile proxy cannot flood the UI. */
const MAX_MESSAGE_LENGTH = 500;

function clip(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}

type HeaderSource = { get(name: string): string | null } | undefined;

/**
 * When a rate-limited caller may try again: `Retry-After` (seconds or HTTP date) wins, then
 * Auth0's `X-RateLimit-Reset` (epoch seconds); otherwise a short, conservative default.
 */
export function retryAtFromHeaders(headers: HeaderSource, now = Date.now()): Date {
  const retryAfter = headers?.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return new Date(now + seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return new Date(Math.max(date, now));
  }
  const reset = Number(headers?.get("x-ratelimit-reset"));
  if (Number.isFinite(reset) && reset > 0) return new Date(Math.max(reset * 1000, now));
  return new Date(now + 5_000);
}

/** Node's network/TLS error codes that mean "we never got an answer". */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * True when the failure chain says the request timed out without a Node error code: the SDK's
 * own timer rejects with the bare string "timeout", the legacy client with a `TimeoutError`.
 */
function isTimeoutChain(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (typeof current === "string") return /^"?timeout"?$/i.test(current);
    if (typeof current !== "object") return false;
    const { name, message, cause } = current as { name?: unknown; message?: unknown; cause?: unknown };
    if (name === "TimeoutError" || (typeof message === "string" && /^"?timeout"?$|timed out/i.test(message)))
      return true;
    current = cause;
  }
  return false;
}

/** Our own marker (see lib/auth0/client.ts): a 2xx answer whose JSON body does not parse. */
export const MALFORMED_RESPONSE_CODE = "malformed_response";

/** A 2xx answer whose body is not what Auth0 documents; `what` names it ("a user", "a log page"). */
export function malformedResponse(what: string, status = 200): Auth0UnavailableError {
  return new Auth0UnavailableError(
    `Auth0 returned ${what} Passdesk cannot read.`,
    status,
    MALFORMED_RESPONSE_CODE,
  );
}

/** `raw` read with `schema`, or the malformedResponse error naming `what`. */
export function parseResponse<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw malformedResponse(what);
  return parsed.data;
}

/** The call's result, or null when Auth0 answers that the resource does not exist (404). */
export async function nullWhenNotFound<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof Auth0NotFoundError) return null;
    throw error;
  }
}

function describeTransportFailure(error: unknown): Auth0UnavailableError {
  const code = causeCode(error);
  if (code === MALFORMED_RESPONSE_CODE) {
    return new Auth0UnavailableError("Auth0 sent an answer Passdesk could not read.", 0, MALFORMED_RESPONSE_CODE);
  }
  if (code === undefined && isTimeoutChain(error)) {
    return new Auth0UnavailableError("Auth0 did not answer in time.", 0, "timeout");
  }
  if (code && TLS_CODE.test(code)) {
    return new Auth0UnavailableError("The TLS certificate of the Auth0 domain is not trusted.", 0, code);
  }
  if (
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT" ||
    code === "UND_ERR_CONNECT_TIMEOUT"
  ) {
    return new Auth0UnavailableError("Auth0 did not answer in time.", 0, code);
  }
  return new Auth0UnavailableError("Auth0 is not reachable right now.", 0, code);
}

/**
 * Maps anything the SDK (or our fetch) throws to one typed domain error. Already-mapped errors
 * pass through. Unknown values become Auth0UnavailableError: whatever happened, the request did
 * not produce a usable answer, and the raw error may carry details we do not want to surface.
 */
export function toAuth0Error(error: unknown): Auth0Error {
  if (error instanceof Auth0Error) return error;
  if (error instanceof ManagementTimeoutError)
    return new Auth0UnavailableError("Auth0 did not answer in time.", 0, "timeout");
  if (error instanceof ManagementError) {
    const status = error.statusCode;
    const body = asErrorBody(error.body);
    const errorCode = stringOrUndefined(body.errorCode) ?? stringOrUndefined(body.error);
    const auth0Message = stringOrUndefined(body.message) ?? stringOrUndefined(body.error_description);
    if (status === undefined) return describeTransportFailure(error.cause ?? error);
    // A success status whose body is not the JSON we expect (a truncated or garbled answer): Auth0
    // probably did the work, but we cannot read the result. Never "rejected": nothing was refused.
    if (status >= 200 && status < 300) {
      return new Auth0UnavailableError(
        "Auth0 sent an answer Passdesk could not read.",
        status,
        "malformed_response",
      );
    }
    if (status === 404) return new Auth0NotFoundError(clip(auth0Message ?? "Not found in Auth0."), errorCode);
    if (status === 401) return new Auth0CredentialsError(undefined, errorCode);
    if (status === 403) return new Auth0ScopeError(undefined, errorCode);
    if (status === 429)
      return new Auth0RateLimitError(retryAtFromHeaders(error.rawResponse?.headers), errorCode);
    if (status === 408)
      return new Auth0UnavailableError("Auth0 did not answer in time.", 408, errorCode ?? "timeout");
    if (status >= 500)
      return new Auth0UnavailableError(`Auth0 answered with an error (${status}).`, status, errorCode);
    // A non-JSON error body (e.g. a proxy's HTML page) arrives as a string: not Auth0 talking.
    if (typeof error.body === "string" || auth0Message === undefined) {
      return new Auth0InvalidRequestError(`Auth0 rejected the request (${status}).`, errorCode, status);
    }
    return new Auth0InvalidRequestError(clip(auth0Message), errorCode, status);
  }
  return describeTransportFailure(error);
}

/** True when the TLS handshake failed (an untrusted or changed certificate authority). */
export function isTlsFailure(error: Auth0Error): boolean {
  return error instanceof Auth0UnavailableError && TLS_CODE.test(error.errorCode ?? "");
}

/** True for failures worth retrying on an idempotent request: 5xx and connection failures. */
export function isTransient(error: Auth0Error): boolean {
  if (!(error instanceof Auth0UnavailableError) || error.status === 408) return false;
  // A timed-out request is not retried: the caller already waited the whole timeout once, and
  // an overloaded upstream does not need more load. TLS failures will not fix themselves either.
  const code = error.errorCode ?? "";
  return !/timeout/i.test(code) && !TLS_CODE.test(code) && code !== "ca_missing";
}

/**
 * What went wrong talking to Auth0, in the words an operator needs: it picks the message and
 * decides whether the outcome of a write is unknown.
 */
export type UpstreamFailureKind =
  | "rate_limited"
  /** Auth0 answered 5xx: it refused the work. */
  | "error_status"
  /** No answer within the timeout; the request may still be running at Auth0. */
  | "timeout"
  /** A 2xx answer whose body could not be read. */
  | "malformed_response"
  /** The connection broke after the request was sent. */
  | "connection_lost"
  /** The certificate of the Auth0 domain is not trusted: nothing was sent. */
  | "tls"
  /** No connection could be made (refused, DNS, connect timeout, CA file missing): nothing was sent. */
  | "unreachable";

/** Codes that mean no connection was ever established, so no request bytes left this process. */
const NOT_CONNECTED_CODE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|ca_missing)$/;

/** Classifies a failure that is not Auth0 refusing the request itself (see UpstreamFailureKind). */
export function upstreamFailureKind(error: Auth0Error): UpstreamFailureKind {
  if (error instanceof Auth0RateLimitError) return "rate_limited";
  const code = error.errorCode ?? "";
  if (code === MALFORMED_RESPONSE_CODE || (error.status >= 200 && error.status < 300)) return "malformed_response";
  if (error.status === 408) return "timeout";
  if (error.status >= 500) return "error_status";
  if (TLS_CODE.test(code)) return "tls";
  if (NOT_CONNECTED_CODE.test(code)) return "unreachable";
  if (/timeout/i.test(code)) return "timeout";
  return "connection_lost";
}

/**
 * True when a write may have been carried out at Auth0 although we got no usable answer: the
 * request left this process and then the answer timed out, broke off or was unreadable. A TLS
 * failure, a refused connection or any status answer (4xx/5xx) means it was not carried out.
 */
export function mayHaveReachedAuth0(error: Auth0Error): boolean {
  if (!(error instanceof Auth0UnavailableError)) return false;
  const kind = upstreamFailureKind(error);
  return kind === "timeout" || kind === "malformed_response" || kind === "connection_lost";
}
