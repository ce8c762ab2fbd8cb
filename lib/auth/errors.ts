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

/** Too many failed sign-ins for this account or IP; refused until `retryAt`. */
export class SignInThrottledError extends Error {
  constructor(readonly retryAt: Date) {
    super("throttled");
    this.name = "SignInThrottledError";
  }
}
