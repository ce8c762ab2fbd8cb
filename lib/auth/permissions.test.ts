import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLES, can, canReadAudit, permissionsFor, type Role } from "./permissions";

const on = { supportCanSetPassword: true };
const off = { supportCanSetPassword: false };

/**
 * The permission table as docs/architecture.md states it, written out here so that a wrong
 * entry in lib/auth/permissions.ts fails a test (the expectation is never read from the code).
 */
const EXPECTED_WITH_SUPPORT_SET: Record<Role, readonly string[]> = {
  ADMIN: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read", "audit:export", "operators:manage", "bulk:run", "approvals:decide"],
  SUPPORT: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read-own"],
  AUDITOR: ["users:read", "audit:read", "audit:export"],
};
const EXPECTED_WITHOUT_SUPPORT_SET: Record<Role, readonly string[]> = {
  ADMIN: ["users:read", "password:reset-email", "password:ticket", "password:set", "audit:read", "audit:export", "operators:manage", "bulk:run", "approvals:decide"],
  SUPPORT: ["users:read", "password:reset-email", "password:ticket", "audit:read-own"],
  AUDITOR: ["users:read", "audit:read", "audit:export"],
};

describe("permission table", () => {
  it("knows exactly these roles and permissions", () => {
    expect([...ROLES]).toEqual(["ADMIN", "SUPPORT", "AUDITOR"]);
    expect([...PERMISSIONS].sort()).toEqual([
      "approvals:decide",
      "audit:export",
      "audit:read",
      "audit:read-own",
      "bulk:run",
      "operators:manage",
      "password:reset-email",
      "password:set",
      "password:ticket",
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
