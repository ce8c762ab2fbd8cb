import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLES, can, canReadAudit, permissionsFor } from "./permissions";

const on = { supportCanSetPassword: true };
const off = { supportCanSetPassword: false };

describe("permission table", () => {
  it("matches DESIGN.md row by row", () => {
    const expected: Record<string, string[]> = {
      "users:read": ["ADMIN", "SUPPORT", "AUDITOR"],
      "password:reset-email": ["ADMIN", "SUPPORT"],
      "password:ticket": ["ADMIN", "SUPPORT"],
      "password:set": ["ADMIN", "SUPPORT"],
      "audit:read": ["ADMIN", "AUDITOR"],
      "audit:read-own": ["SUPPORT"],
      "audit:export": ["ADMIN", "AUDITOR"],
      "operators:manage": ["ADMIN"],
    };
    for (const permission of PERMISSIONS) {
      expect(ROLES.filter((role) => can(role, permission, on)), permission).toEqual(expected[permission]);
    }
  });

  it("SUPPORT_CAN_SET_PASSWORD=false removes only password:set from support", () => {
    expect(can("SUPPORT", "password:set", off)).toBe(false);
    expect(can("ADMIN", "password:set", off)).toBe(true);
    const withSet = permissionsFor("SUPPORT", on);
    const withoutSet = permissionsFor("SUPPORT", off);
    expect([...withSet].filter((permission) => !withoutSet.has(permission))).toEqual(["password:set"]);
  });

  it("every role can read some audit log except none", () => {
    expect(ROLES.map((role) => canReadAudit(role, on))).toEqual([true, true, true]);
  });
});
