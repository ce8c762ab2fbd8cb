import { describe, expect, it } from "vitest";
import { claimGroups, mapRole, parseRoleMap } from "./oidc-role-map";

describe("OIDC_ROLE_MAP parsing", () => {
  it.each([
    ["admin=passdesk-admins,support=helpdesk", [{ role: "ADMIN", group: "passdesk-admins" }, { role: "SUPPORT", group: "helpdesk" }]],
    [" Admin = Passdesk Admins , auditor=auditors ", [{ role: "ADMIN", group: "Passdesk Admins" }, { role: "AUDITOR", group: "auditors" }]],
    ["support=helpdesk,support=tier2,", [{ role: "SUPPORT", group: "helpdesk" }, { role: "SUPPORT", group: "tier2" }]],
    ["admin=a=b", [{ role: "ADMIN", group: "a=b" }]],
  ])("%s", (value, expected) => {
    expect(parseRoleMap(value)).toEqual(expected);
  });

  it.each([
    ["", "maps no role"],
    [" , ", "maps no role"],
    ["helpdesk", '"helpdesk" is not role=group'],
    ["owner=boss", '"owner" is not a role (admin, support, auditor)'],
    ["admin=staff,support=staff", 'group "staff" is mapped twice'],
    ["admin=", '"admin=" is not role=group'],
  ])("refuses %j: %s", (value, message) => {
    expect(() => parseRoleMap(value)).toThrow(message);
  });
});

describe("mapping a role claim", () => {
  const map = parseRoleMap("admin=passdesk-admins,support=helpdesk,support=tier2,auditor=auditors");
  it.each([
    [["passdesk-admins"], "ADMIN"],
    [["helpdesk"], "SUPPORT"],
    [["tier2"], "SUPPORT"],
    [["auditors"], "AUDITOR"],
    // The strongest mapped role wins.
    [["auditors", "helpdesk", "passdesk-admins"], "ADMIN"],
    [["auditors", "tier2"], "SUPPORT"],
    // Unmapped groups, other types, case differences: no role.
    [["everyone"], null],
    [["Helpdesk"], null],
    [[], null],
    [undefined, null],
    [42, null],
    [{ helpdesk: true }, null],
    // One string, space- or comma-separated (some IdPs send groups so).
    ["helpdesk", "SUPPORT"],
    ["everyone passdesk-admins", "ADMIN"],
    ["everyone,auditors", "AUDITOR"],
    [["helpdesk", 7, null], "SUPPORT"],
  ])("%j → %s", (claim, role) => {
    expect(mapRole(map, claim)).toBe(role);
  });

  it("keeps only the strings of an array claim", () => {
    expect(claimGroups(["a", 1, "b", null])).toEqual(["a", "b"]);
  });
});
