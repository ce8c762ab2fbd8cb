import { describe, expect, it } from "vitest";
import { BEFORE_MFA_ENROLMENT, PERMISSIONS, ROLES, STEP_UP_PERMISSIONS, can, canReadAudit, needsStepUp, permissionsFor, type Role } from "./permissions";

const on = { supportCanSetPassword: true };
const off = { supportCanSetPassword: false };

/**
 * The permission table as docs/architecture.md states it, written out here so that a wrong
 * entry in lib/auth/permissions.ts fails a test (the expectation is never read from the code).
 */
const EXPECTED_WITH_SUPPORT_SET: Record<Role, readonly string[]> = {
  ADMIN: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read", "audit:export", "operators:manage", "self:security", "bulk:run", "approvals:decide", "account:unblock", "account:block", "sessions:revoke", "email:verify", "mfa:reset"],
  SUPPORT: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read-own", "self:security", "account:unblock", "sessions:revoke", "email:verify", "mfa:reset"],
  AUDITOR: ["users:read", "audit:read", "audit:export", "self:security"],
};
const EXPECTED_WITHOUT_SUPPORT_SET: Record<Role, readonly string[]> = {
  ADMIN: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read", "audit:export", "operators:manage", "self:security", "bulk:run", "approvals:decide", "account:unblock", "account:block", "sessions:revoke", "email:verify", "mfa:reset"],
  SUPPORT: ["users:read", "password:reset-email", "password:ticket", "audit:read-own", "self:security", "account:unblock", "sessions:revoke", "email:verify", "mfa:reset"],
  AUDITOR: ["users:read", "audit:read", "audit:export", "self:security"],
};

describe("permission table", () => {
  it("knows exactly these roles and permissions", () => {
    expect([...ROLES]).toEqual(["ADMIN", "SUPPORT", "AUDITOR"]);
    expect([...PERMISSIONS].sort()).toEqual([
      "account:block",
      "account:unblock",
      "approvals:decide",
      "audit:export",
      "audit:read",
      "audit:read-own",
      "bulk:run",
      "email:verify",
      "mfa:reset",
      "operators:manage",
      "password:reset-email",
      "password:set",
      "password:ticket",
      "self:security",
      "sessions:revoke",
      "users:read",
    ]);
  });

  it.each([
    ["SUPPORT_CAN_SET_PASSWORD=true", on, EXPECTED_WITH_SUPPORT_SET],
    ["SUPPORT_CAN_SET_PASSWORD=false", off, EXPECTED_WITHOUT_SUPPORT_SET],
  ] as const)("matches docs/architecture.md cell by cell with %s", (_label, settings, expected) => {
    for (const role of ROLES) {
      expect([...permissionsFor(role, settings)].sort(), role).toEqual([...expected[role]].sort());
      for (const permission of PERMISSIONS) {
        expect(can(role, permission, settings), `${role} ${permission}`).toBe(expected[role].includes(permission));
      }
    }
  });

  it("every role reads some of the audit log (the whole log or its own actions)", () => {
    expect(Object.fromEntries(ROLES.map((role) => [role, canReadAudit(role, on)]))).toEqual({ ADMIN: true, SUPPORT: true, AUDITOR: true });
  });

  it("step-up guards exactly the Danger Zone, MFA reset, blocking, bulk jobs, operator management and audit export", () => {
    expect([...STEP_UP_PERMISSIONS].sort()).toEqual([
      "account:block",
      "approvals:decide",
      "audit:export",
      "bulk:run",
      "mfa:reset",
      "operators:manage",
      "password:reset-email",
      "password:set",
      "password:ticket",
    ]);
    expect(PERMISSIONS.filter((permission) => needsStepUp(permission)).sort()).toEqual([
      "account:block",
      "approvals:decide",
      "audit:export",
      "bulk:run",
      "mfa:reset",
      "operators:manage",
      "password:reset-email",
      "password:set",
      "password:ticket",
    ]);
  });

  it("before a required MFA enrolment only the operator's own security page is open", () => {
    expect([...BEFORE_MFA_ENROLMENT]).toEqual(["self:security"]);
  });
});
