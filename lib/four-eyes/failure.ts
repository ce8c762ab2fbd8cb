/**
 * The refusals every four-eyes request shares (a password approval, a bulk job): what is asked
 * for does not exist (or is outside the operator's scope), the requester is deciding their own
 * request, it expired, it is no longer in the state the step needs, or its audit event could
 * not be written (fail-closed). Each kind of request adds its own refusals to these.
 */
export type FourEyesFailure<Status> =
  | { code: "not_found" }
  | { code: "own_request" }
  | { code: "expired" }
  | { code: "wrong_state"; status: Status }
  | { code: "audit_unavailable" };
