import { ManagementError, ManagementTimeoutError, Management } from "auth0";
import { describe, expect, it } from "vitest";
import {
  Auth0CredentialsError,
  Auth0Error,
  Auth0InvalidRequestError,
  Auth0NotFoundError,
  Auth0RateLimitError,
  Auth0ScopeError,
  Auth0UnavailableError,
  isTransient,
  retryAtFromHeaders,
  toAuth0Error,
} from "./errors";

function rawResponse(status: number, headers: Record<string, string> = {}) {
  return {
    headers: new Headers(headers),
    redirected: false,
    status,
    statusText: "",
    type: "basic" as const,
    url: "https://tenant/api/v2/users",
  };
}

describe("toAuth0Error", () => {
  it("maps 404 with Auth0's message and error code", () => {
    const error = toAuth0Error(
      new Management.NotFoundError({
        statusCode: 404,
        message: "The user does not exist.",
        errorCode: "inexistent_user",
      }),
    );
    expect(error).toBeInstanceOf(Auth0NotFoundError);
    expect(error).toMatchObject({
      status: 404,
      errorCode: "inexistent_user",
      message: "The user does not exist.",
    });
  });

  it("maps 400 to an invalid request carrying Auth0's message", () => {
    const error = toAuth0Error(
      new Management.BadRequestError({
        statusCode: 400,
        message: "You can only page through the first 1000 records.",
        errorCode: "invalid_paging",
      }),
    );
    expect(error).toBeInstanceOf(Auth0InvalidRequestError);
    expect(error).toMatchObject({
      status: 400,
      errorCode: "invalid_paging",
      message: "You can only page through the first 1000 records.",
    });
  });

  it("maps 403 to a scope error without echoing the scope list", () => {
    const error = toAuth0Error(
      new Management.ForbiddenError({
        statusCode: 403,
        message: "Insufficient scope, expected any of: read:users",
        errorCode: "insufficient_scope",
      }),
    );
    expect(error).toBeInstanceOf(Auth0ScopeError);
    expect(error.errorCode).toBe("insufficient_scope");
  });

  it("maps 401 (bad token or bad client credentials) without repeating the body", () => {
    const error = toAuth0Error(
      new ManagementError({
        statusCode: 401,
        body: { error: "access_denied", error_description: "Unauthorized" },
      }),
    );
    expect(error).toBeInstanceOf(Auth0CredentialsError);
    expect(error.errorCode).toBe("access_denied");
  });

  it("maps 429 with the reset time from X-RateLimit-Reset", () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    const error = toAuth0Error(
      new Management.TooManyRequestsError(
        { statusCode: 429, message: "Global limit has been reached" },
        rawResponse(429, { "x-ratelimit-reset": String(reset) }),
      ),
    );
    expect(error).toBeInstanceOf(Auth0RateLimitError);
    expect((error as Auth0RateLimitError).retryAt.getTime()).toBe(reset * 1000);
  });

  it.each([500, 502, 503, 504])("maps %i to unavailable", (status) => {
    const error = toAuth0Error(new ManagementError({ statusCode: status, body: { message: "boom" } }));
    expect(error).toBeInstanceOf(Auth0UnavailableError);
    expect(error.status).toBe(status);
    expect(isTransient(error)).toBe(true);
  });

  it("maps a timeout to unavailable, not retried", () => {
    const error = toAuth0Error(new ManagementTimeoutError("Timeout exceeded when calling GET /users."));
    expect(error).toBeInstanceOf(Auth0UnavailableError);
    expect(isTransient(error)).toBe(false);
  });

  it("maps a TLS failure to unavailable, naming the certificate problem", () => {
    const cause = Object.assign(new Error("self-signed certificate in certificate chain"), {
      code: "SELF_SIGNED_CERT_IN_CHAIN",
    });
    const error = toAuth0Error(
      new ManagementError({ message: "fetch failed", cause: new TypeError("fetch failed", { cause }) }),
    );
    expect(error).toBeInstanceOf(Auth0UnavailableError);
    expect(error.message).toMatch(/certificate/);
    expect(isTransient(error)).toBe(false);
  });

  it("maps a refused connection to a retryable unavailable", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const error = toAuth0Error(new TypeError("fetch failed", { cause }));
    expect(error).toMatchObject({ status: 0, errorCode: "ECONNREFUSED" });
    expect(isTransient(error)).toBe(true);
  });

  it("does not pass on a non-JSON error page as a message", () => {
    const error = toAuth0Error(
      new ManagementError({ statusCode: 400, body: "<html>proxy error token=abc</html>" }),
    );
    expect(error).toBeInstanceOf(Auth0InvalidRequestError);
    expect(error.message).not.toContain("token");
  });

  it("clips very long Auth0 messages", () => {
    const error = toAuth0Error(
      new Management.BadRequestError({ statusCode: 400, message: "x".repeat(5_000) }),
    );
    expect(error.message.length).toBeLessThan(600);
  });

  it("passes an already-mapped error through", () => {
    const original = new Auth0NotFoundError();
    expect(toAuth0Error(original)).toBe(original);
  });

  it("recognises errors made by another copy of this module (separate Next bundles)", () => {
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("passdesk.auth0.errorKinds")]: ["Auth0Error", "Auth0RateLimitError"],
    });
    expect(foreign).toBeInstanceOf(Auth0Error);
    expect(foreign).toBeInstanceOf(Auth0RateLimitError);
    expect(foreign).not.toBeInstanceOf(Auth0NotFoundError);
    expect(new Error("plain")).not.toBeInstanceOf(Auth0Error);
  });
});

describe("retryAtFromHeaders", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it("prefers Retry-After seconds", () => {
    expect(
      retryAtFromHeaders(new Headers({ "retry-after": "7", "x-ratelimit-reset": "1" }), now).getTime(),
    ).toBe(now + 7_000);
  });
  it("accepts Retry-After as an HTTP date", () => {
    expect(
      retryAtFromHeaders(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:01:00 GMT" }), now).getTime(),
    ).toBe(now + 60_000);
  });
  it("falls back to a short default", () => {
    expect(retryAtFromHeaders(undefined, now).getTime()).toBe(now + 5_000);
  });
});
