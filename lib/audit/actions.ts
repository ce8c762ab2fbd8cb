/** Every audit action Passdesk writes. Dotted names; stored as text so new ones need no migration. */
export const AUDIT_ACTIONS = [
  "password.set",
  "password.reset_email",
  "password.ticket",
  "operator.sign_in",
  "operator.sign_in_failed",
  "operator.sign_out",
  "operator.created",
  "operator.role_changed",
  "operator.disabled",
  "operator.enabled",
  "audit.exported",
  "operator.mfa_enrolled",
  "operator.mfa_removed",
  "operator.mfa_reset",
  "operator.mfa_required",
  "operator.recovery_code_used",
  "operator.recovery_codes_regenerated",
  "operator.step_up",
  "operator.sessions_ended",
  "operator.scope_changed",
  // Bulk jobs (lib/bulk): the job's own events; its items are password.* events with bulkJobId.
  "bulk.created",
  "bulk.approved",
  "bulk.rejected",
  "bulk.expired",
  "bulk.started",
  "bulk.paused",
  "bulk.resumed",
  "bulk.cancelled",
  "bulk.finished",
  // Four-eyes for password actions on protected users (lib/approvals); the action itself is a
  // password.* event with details.approvalId.
  "approval.requested",
  "approval.approved",
  "approval.rejected",
  "approval.expired",
  "account.unblock",
  "account.block",
  "account.admin_unblock",
  "sessions.revoke",
  "email.verification_sent",
  "mfa.reset",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Actions that change an Auth0 user's password; the per-user history shows these. */
export const PASSWORD_ACTIONS = [
  "password.set",
  "password.reset_email",
  "password.ticket",
] as const satisfies readonly AuditAction[];

/** Support-case actions on an Auth0 user's account (lib/account). */
export const ACCOUNT_ACTIONS = [
  "account.unblock",
  "account.block",
  "account.admin_unblock",
  "sessions.revoke",
  "email.verification_sent",
  "mfa.reset",
] as const satisfies readonly AuditAction[];

export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
