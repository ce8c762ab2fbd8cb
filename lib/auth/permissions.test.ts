import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLES, can, canReadAudit, permissionsFor, type Role } from "./permissions";

const on = { supportCanSetPassword: true };
const off = { supportCanSetPassword: false };

/**
 * The permission table as docs/architecture.md states it, written out here so that a wrong
 * entry in lib/auth/permissions.ts fails a test (the expectation is never read from the code).
 */
const EXPECTED_WITH_SUPPORT_SET: Record<Role, readonly string[]> = {
  ADMIN: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read", "audit:export", "operators:manage", "account:unblock", "account:block", "sessions:revoke", "email:verify", "mfa:reset"],
  SUPPORT: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read-own", "account:unblock", "sessions:revoke", "email:verify", "mfa:reset"],
  AUDITOR: ["users:read", "audit:read", "audit:export"],
};
const EXPECTED_WITHOUT_SUPPORT_SET: Record<Role, readonly string[]> = {
  ADMIN: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read", "audit:export", "operators:manage", "account:unblock", "account:block", "sessions:revoke", "email:verify", "mfa:reset"],
  SUPPORT: ["users:read", "password:reset-email", "password:ticket", "audit:read-own", "account:unblock", "sessions:revoke", "email:verify", "mfa:reset"],
  AUDITOR: ["users:read", "audit:read", "audit:export"],
};

describe("permission table", () => {
  it("knows exactly these roles and permissions", () => {
    expect([...ROLES]).toEqual(["ADMIN", "SUPPORT", "AUDITOR"]);
    expect([...PERMISSIONS].sort()).toEqual([
      "account:block",
      "account:unblock",
      "audit:export",
      "audit:read",
      "audit:read-own",
      "email:verify",
      "mfa:reset",
      "operators:manage",
      "password:reset-email",
      "password:set",
      "password:ticket",
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
});
