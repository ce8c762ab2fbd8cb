import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { checkedSessionOperator, getAuthOptions } from "./options";
import { findActiveOperator, type OperatorIdentity } from "./operator-service";
import { sessionIdentity } from "./operator-sessions";
import { ForbiddenError, MfaEnrolmentRequiredError, StepUpRequiredError, UnauthenticatedError } from "./errors";
import { getMfaGate, isCurrentSessionFresh } from "./mfa/gate";
import { can } from "./can";
import { BEFORE_MFA_ENROLMENT, needsStepUp, type Permission } from "./permissions";

/**
 * The one identity choke point. Feature code never reads cookies or calls next-auth: it asks
 * here. Reading the session checks its server-side record (lib/auth/options.ts → operator-sessions:
 * revoked, idle or past its absolute end means signed out), and the operator is re-read from the
 * database on every request (with the session record, in that same query), so disabling an
 * operator or changing a role takes effect at once, whatever the session cookie says.
 */
export const getCurrentOperator = cache(async (): Promise<OperatorIdentity | null> => {
  const session = await getServerSession(getAuthOptions());
  const operatorId = session?.user?.id;
  if (!operatorId) return null;
  // The session check has just read this operator (active, current role) with the session record.
  const checked = checkedSessionOperator(session);
  if (checked?.id === operatorId) return sessionIdentity(checked);
  return findActiveOperator(operatorId);
});

export { can, permissionSettings } from "./can";

/** For server actions and route handlers: throws UnauthenticatedError (→ 401). */
export async function requireOperator(): Promise<OperatorIdentity> {
  const operator = await getCurrentOperator();
  if (!operator) throw new UnauthenticatedError();
  return operator;
}

/**
 * For server actions and route handlers: throws Unauthenticated (401) or Forbidden (403) —
 * including its two special cases: MFA enrolment required (only the operator's own security
 * page is open until then) and step-up required (the permission is in STEP_UP_PERMISSIONS and
 * the session's last authentication is older than STEP_UP_MINUTES).
 */
export async function requirePermission(permission: Permission): Promise<OperatorIdentity> {
  const operator = await requireOperator();
  if (!can(operator, permission)) throw new ForbiddenError(permission);
  if (!BEFORE_MFA_ENROLMENT.has(permission)) {
    const gate = await getMfaGate(operator.id, operator.role);
    if (gate.isRequired && !gate.isEnrolled) throw new MfaEnrolmentRequiredError(permission);
  }
  // An SSO operator steps up through the IdP (prompt=login, max_age=0; lib/auth/oidc.ts
  // stepUpWithOidc marks this same session fresh), so the check is the same for everyone.
  if (needsStepUp(permission) && !(await isCurrentSessionFresh(operator))) throw new StepUpRequiredError(permission);
  return operator;
}

/** Where an operator who must enrol in MFA is sent first. */
export const SECURITY_PAGE = "/security";

/**
 * For pages: redirects a signed-out visitor to /sign-in, an operator who must enrol in MFA to
 * the security page, and renders the 403 page otherwise.
 */
export async function requirePageOperator(...anyOf: Permission[]): Promise<OperatorIdentity> {
  const operator = await getCurrentOperator();
  if (!operator) redirect("/sign-in");
  const gate = await getMfaGate(operator.id, operator.role);
  if (gate.isRequired && !gate.isEnrolled) redirect(`${SECURITY_PAGE}?enrol=1`);
  if (anyOf.length > 0 && !anyOf.some((permission) => can(operator, permission))) forbidden();
  return operator;
}

/** For the security page itself: signed in is enough, enrolled or not. */
export async function requireSecurityPageOperator(): Promise<OperatorIdentity> {
  const operator = await getCurrentOperator();
  if (!operator) redirect("/sign-in");
  return operator;
}
