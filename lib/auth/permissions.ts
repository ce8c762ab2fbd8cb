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
    "account:unblock",
    "sessions:revoke",
    "email:verify",
    "mfa:reset",
  ],
  AUDITOR: ["users:read", "audit:read", "audit:export"],
};

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
