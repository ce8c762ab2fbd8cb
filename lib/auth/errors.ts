import type { Permission } from "./permissions";

/** No signed-in, enabled operator: 401 for endpoints, a redirect to /sign-in for pages. */
export class UnauthenticatedError extends Error {
  constructor() {
    super("Sign in to continue.");
    this.name = "UnauthenticatedError";
  }
}

/** Signed in, but the permission table does not allow it: 403. */
export class ForbiddenError extends Error {
  constructor(readonly permission: Permission) {
    super(`Your role does not allow this (${permission}).`);
    this.name = "ForbiddenError";
  }
}

/**
 * Too many failed sign-ins; refused until `retryAt`. The message is what next-auth hands the
 * sign-in form as `error`: "throttled" (this IP, minutes) or "slowed" (the account, seconds).
 */
export class SignInThrottledError extends Error {
  constructor(
    readonly retryAt: Date,
    readonly kind: "locked" | "slowed" = "locked",
  ) {
    super(kind === "slowed" ? "slowed" : "throttled");
    this.name = "SignInThrottledError";
  }
}

/** The session's server-side record is gone, revoked or expired: the cookie no longer counts. */
export class SessionEndedError extends Error {
  constructor() {
    super("session ended");
    this.name = "SessionEndedError";
  }
}

/** The operator's role (or an admin) requires MFA and none is enrolled: only the security page is open. */
export class MfaEnrolmentRequiredError extends ForbiddenError {
  constructor(permission: Permission) {
    super(permission);
    this.name = "MfaEnrolmentRequiredError";
  }
}

/** The permission needs a recent authentication (STEP_UP_MINUTES): confirm identity, then retry. */
export class StepUpRequiredError extends ForbiddenError {
  constructor(permission: Permission) {
    super(permission);
    this.name = "StepUpRequiredError";
  }
}

/** Sign-in: the password was right and a second factor is needed (next-auth hands "mfa_required" to the form). */
export class SecondFactorRequiredError extends Error {
  constructor(message: "mfa_required" | "mfa_invalid" | "mfa_replayed" = "mfa_required") {
    super(message);
    this.name = "SecondFactorRequiredError";
  }
}
