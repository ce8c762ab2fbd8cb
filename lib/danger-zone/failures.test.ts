import { AuthApiError, ResponseError, TimeoutError } from "auth0/legacy";
import { describe, expect, it } from "vitest";
import {
  Auth0InvalidRequestError,
  Auth0RateLimitError,
  Auth0ScopeError,
  Auth0UnavailableError,
} from "@/lib/auth0/errors";
import { toAuthenticationApiError } from "@/lib/auth0/password-operations";
import { failureFromAuth0Error } from "./failures";

describe("Authentication API error mapping", () => {
  it("maps 429 with Retry-After to a rate-limit error with a retry time", () => {
    const before = Date.now();
    const error = toAuthenticationApiError(
      new AuthApiError(
        "too_many_requests",
        "Too many requests",
        429,
        "{}",
        new Headers({ "retry-after": "30" }),
      ),
    );
    expect(error).toBeInstanceOf(Auth0RateLimitError);
    expect((error as Auth0RateLimitError).retryAt.getTime()).toBeGreaterThanOrEqual(before + 29_000);
  });

  it("maps 400 to an invalid request with Auth0's description", () => {
    const error = toAuthenticationApiError(
      new AuthApiError("invalid_request", "connection not found", 400, "{}", new Headers()),
    );
    expect(error).toBeInstanceOf(Auth0InvalidRequestError);
    expect(error.message).toBe("connection not found");
    expect(error.errorCode).toBe("invalid_request");
  });

  it("maps 5xx, unparseable bodies and timeouts to unavailable", () => {
    expect(toAuthenticationApiError(new ResponseError(503, "<html>", new Headers()))).toBeInstanceOf(
      Auth0UnavailableError,
    );
    expect(toAuthenticationApiError(new ResponseError(400, "<html>", new Headers()))).toBeInstanceOf(
      Auth0InvalidRequestError,
    );
    const timeout = toAuthenticationApiError(new TimeoutError());
    expect(timeout).toBeInstanceOf(Auth0UnavailableError);
    expect(timeout.status).toBe(0);
  });
});

describe("failureFromAuth0Error", () => {
  it("turns named policy errors into policy failures", () => {
    expect(
      failureFromAuth0Error(new Auth0InvalidRequestError("PasswordStrengthError: Password is too weak")),
    ).toEqual({ code: "policy", kind: "strength" });
    expect(
      failureFromAuth0Error(
        new Auth0InvalidRequestError("PasswordHistoryError: Password has previously been used"),
      ),
    ).toEqual({ code: "policy", kind: "history" });
  });

  it("keeps other 400s as Auth0's message, and classifies the rest", () => {
    expect(failureFromAuth0Error(new Auth0InvalidRequestError("Something else"))).toEqual({
      code: "rejected",
      auth0Message: "Something else",
    });
    const retryAt = new Date(Date.now() + 5_000);
    expect(failureFromAuth0Error(new Auth0RateLimitError(retryAt))).toEqual({
      code: "rate_limited",
      retryAt: retryAt.toISOString(),
    });
    expect(failureFromAuth0Error(new Auth0ScopeError())).toEqual({ code: "misconfigured" });
    expect(
      failureFromAuth0Error(new Auth0ScopeError("missing", "insufficient_scope", ["delete:sessions"])),
    ).toEqual({ code: "missing_scope", scopes: ["delete:sessions"] });
    expect(failureFromAuth0Error(new Auth0UnavailableError("down", 503))).toEqual({
      code: "upstream_unavailable",
      kind: "error_status",
      isOutcomeUnknown: false,
    });
    expect(failureFromAuth0Error(new Auth0UnavailableError("timeout", 0, "timeout"))).toEqual({
      code: "upstream_unavailable",
      kind: "timeout",
      isOutcomeUnknown: true,
    });
    expect(failureFromAuth0Error(new Auth0UnavailableError("tls", 0, "UNABLE_TO_VERIFY_LEAF_SIGNATURE"))).toEqual({
      code: "upstream_unavailable",
      kind: "tls",
      isOutcomeUnknown: false,
    });
    expect(failureFromAuth0Error(new Auth0UnavailableError("reset", 0, "UND_ERR_SOCKET"))).toEqual({
      code: "upstream_unavailable",
      kind: "connection_lost",
      isOutcomeUnknown: true,
    });
    expect(failureFromAuth0Error(new Auth0UnavailableError("refused", 0, "ECONNREFUSED"))).toEqual({
      code: "upstream_unavailable",
      kind: "unreachable",
      isOutcomeUnknown: false,
    });
  });
});
