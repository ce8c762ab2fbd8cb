/**
 * The permission table (docs/architecture.md "Permissions"): one data structure, used by the server to
 * decide and by the UI to hide what an operator cannot do. Pure — safe to import anywhere.
 */

export const ROLES = ["ADMIN", "SUPPORT", "AUDITOR"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "users:read",
  "password:reset-email",
  "password:ticket",
  "password:set",
  "audit:read",
  "audit:read-own",
  "audit:export",
  "operators:manage",
  // The operator's own sign-in security: sessions, MFA, passkeys, step-up.
  "self:security",
  // Bulk jobs (issue 17): request/run/pause/cancel, and the four-eyes decision (never one's own).
  "bulk:run",
  "approvals:decide",
  // The support case (issue 14): lift a brute-force lock or an admin block, block (admin),
  // sign a user out everywhere, resend the verification email, remove MFA methods.
  "account:unblock",
  "account:block",
  "sessions:revoke",
  "email:verify",
  "mfa:reset",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Settings that change the table; each one is documented in .env.example. */
export type PermissionSettings = {
  /** When false, support operators may send reset emails and links but never choose a password. */
  supportCanSetPassword: boolean;
};

const TABLE: Record<Role, readonly Permission[]> = {
  ADMIN: [
    "users:read",
    "password:reset-email",
    "password:ticket",
    "password:set",
    "audit:read",
    "audit:export",
    "operators:manage",
    "self:security",
    "bulk:run",
    "approvals:decide",
    "account:unblock",
    "account:block",
    "sessions:revoke",
    "email:verify",
    "mfa:reset",
  ],
  // Support reads the audit log only for its own actions ("audit:read-own"); blocking is admin-only.
  SUPPORT: [
    "users:read",
    "password:reset-email",
    "password:ticket",
    "password:set",
    "audit:read-own",
    "self:security",
    "account:unblock",
    "sessions:revoke",
    "email:verify",
    "mfa:reset",
  ],
  AUDITOR: ["users:read", "audit:read", "audit:export", "self:security"],
};

/**
 * Permissions that also need a recent authentication (step-up, STEP_UP_MINUTES): the server
 * refuses them with `step_up_required` otherwise (lib/actions/safe-action.ts, lib/http/route.ts).
 */
export const STEP_UP_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  "password:set",
  "password:reset-email",
  "password:ticket",
  "operators:manage",
  "audit:export",
  // Removing a user's MFA and blocking them are as risky as a password change; bulk jobs and
  // their approval touch many users at once.
  "mfa:reset",
  "account:block",
  "bulk:run",
  "approvals:decide",
]);

export function needsStepUp(permission: Permission): boolean {
  return STEP_UP_PERMISSIONS.has(permission);
}

/**
 * Permissions an operator may use before finishing a required MFA enrolment (their own
 * security page, where they enrol).
 */
export const BEFORE_MFA_ENROLMENT: ReadonlySet<Permission> = new Set<Permission>(["self:security"]);

export function permissionsFor(role: Role, settings: PermissionSettings): ReadonlySet<Permission> {
  const granted = new Set<Permission>(TABLE[role]);
  if (role === "SUPPORT" && !settings.supportCanSetPassword) granted.delete("password:set");
  return granted;
}

export function can(role: Role, permission: Permission, settings: PermissionSettings): boolean {
  return permissionsFor(role, settings).has(permission);
}

/** Either the whole audit log or only one's own actions. */
export function canReadAudit(role: Role, settings: PermissionSettings): boolean {
  return can(role, "audit:read", settings) || can(role, "audit:read-own", settings);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
