import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIT_STATE } from "@/lib/validations/audit";
import { auditScopeFrom, toAuditFilters } from "./scope";

describe("auditScopeFrom", () => {
  it("gives the whole log to audit:read, own events to audit:read-own, nothing otherwise", () => {
    expect(auditScopeFrom({ id: "op1" }, { canReadAll: true, canReadOwn: false })).toEqual({ kind: "all" });
    expect(auditScopeFrom({ id: "op1" }, { canReadAll: true, canReadOwn: true })).toEqual({ kind: "all" });
    expect(auditScopeFrom({ id: "op1" }, { canReadAll: false, canReadOwn: true })).toEqual({
      kind: "own",
      operatorId: "op1",
    });
    expect(auditScopeFrom({ id: "op1" }, { canReadAll: false, canReadOwn: false })).toBeNull();
  });
});

describe("auditScopeFrom with an operator scope", () => {
  const EU = { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' };

  it("carries the reader's scope, with their own untargeted events", () => {
    expect(auditScopeFrom({ id: "op1", scope: EU }, { canReadAll: true, canReadOwn: false })).toEqual({
      kind: "all",
      users: { scope: EU, ownOperatorId: "op1" },
    });
    expect(auditScopeFrom({ id: "op2", scope: EU }, { canReadAll: false, canReadOwn: true })).toEqual({
      kind: "own",
      operatorId: "op2",
      users: { scope: EU, ownOperatorId: "op2" },
    });
    expect(auditScopeFrom({ id: "op3", scope: null }, { canReadAll: true, canReadOwn: false })).toEqual({ kind: "all" });
  });

  it("lets the database keep a scoped reader's own untargeted events, and none under the scope filter", () => {
    const reader = toAuditFilters(DEFAULT_AUDIT_STATE, { kind: "all", users: { scope: EU, ownOperatorId: "op1" } });
    expect(reader.untargeted).toEqual({ actorOperatorId: "op1" });
    const filtered = toAuditFilters(DEFAULT_AUDIT_STATE, { kind: "all", users: { scope: EU, ownOperatorId: null } });
    expect(filtered.untargeted).toBe("none");
    expect(toAuditFilters(DEFAULT_AUDIT_STATE, { kind: "all" }).untargeted).toBeUndefined();
  });
});

describe("toAuditFilters", () => {
  it("maps an empty state to no restriction for the whole-log scope", () => {
    expect(toAuditFilters(DEFAULT_AUDIT_STATE, { kind: "all" })).toEqual({
      actor: null,
      target: null,
      action: null,
      outcome: null,
      from: null,
      to: null,
      view: "operations",
      onlyActorOperatorId: null,
    });
  });

  it("maps every filter to the library's shape (UTC days, 'to' inclusive)", () => {
    const filters = toAuditFilters(
      {
        actor: "a@b.c",
        target: "auth0|1",
        action: "password.ticket",
        outcome: "unknown",
        from: "2025-05-01",
        to: "2025-05-31",
        view: "events",
        scopeOf: "",
        cursor: "99",
      },
      { kind: "all" },
    );
    expect(filters).toEqual({
      actor: "a@b.c",
      target: "auth0|1",
      action: "password.ticket",
      outcome: "UNKNOWN",
      from: new Date("2025-05-01T00:00:00.000Z"),
      to: new Date("2025-06-01T00:00:00.000Z"),
      view: "events",
      onlyActorOperatorId: null,
    });
  });

  it.each([
    ["succeeded", "SUCCEEDED"],
    ["failed", "FAILED"],
    ["pending", "PENDING"],
  ] as const)("maps outcome %s to %s", (outcome, expected) => {
    expect(toAuditFilters({ ...DEFAULT_AUDIT_STATE, outcome }, { kind: "all" }).outcome).toBe(expected);
  });

  it("always restricts an own-scope to the operator, whatever actor the URL asks for", () => {
    const filters = toAuditFilters(
      { ...DEFAULT_AUDIT_STATE, actor: "admin@passdesk.test" },
      { kind: "own", operatorId: "support-1" },
    );
    expect(filters.onlyActorOperatorId).toBe("support-1");
    expect(filters.actor).toBe("admin@passdesk.test");
  });
});
