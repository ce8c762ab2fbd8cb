import { describe, expect, it } from "vitest";
import { buildScopeClause, MAX_SCOPE_MEMBERS, restrictQuery } from "./clause";

describe("scope clauses", () => {
  it("a filter alone is parenthesised twice: its group, and the clause", () => {
    expect(buildScopeClause({ connections: [], memberIds: null, filter: 'app_metadata.region:"eu"' })).toEqual({
      kind: "limited",
      clause: '((app_metadata.region:"eu"))',
    });
  });

  it("connections, members and the filter are AND-ed, each value a quoted phrase", () => {
    expect(
      buildScopeClause({
        connections: ["Username-Password-Authentication", "google-oauth2"],
        memberIds: ["auth0|b2", "samlp|acme|jdoe", "auth0|b2"],
        filter: "logins_count:[1 TO *] OR blocked:true",
      }),
    ).toEqual({
      kind: "limited",
      clause:
        '(identities.connection:("Username-Password-Authentication" OR "google-oauth2") AND user_id:("auth0|b2" OR "samlp|acme|jdoe") AND (logins_count:[1 TO *] OR blocked:true))',
    });
  });

  it("hostile values stay inside their quotes", () => {
    expect(
      buildScopeClause({ connections: ['x") OR (_exists_:user_id'], memberIds: ['a\\" OR user_id:*'], filter: null }),
    ).toEqual({
      kind: "limited",
      clause: '(identities.connection:("x\\") OR (_exists_:user_id") AND user_id:("a\\\\\\" OR user_id:*"))',
    });
  });

  it("a filter that would leave its group resolves to nobody", () => {
    for (const filter of ['a:b) OR (_exists_:user_id', 'a:"b', "a:b \\\\) OR (c", "", "   ", "x".repeat(1_001)]) {
      expect(buildScopeClause({ connections: [], memberIds: null, filter })).toEqual({ kind: "none", reason: "filter_invalid" });
    }
    // An escaped parenthesis is data, not a group.
    expect(buildScopeClause({ connections: [], memberIds: null, filter: "name:a\\)b" })).toEqual({
      kind: "limited",
      clause: "((name:a\\)b))",
    });
  });

  it("organizations without members, too many members, or no part at all: nobody", () => {
    expect(buildScopeClause({ connections: [], memberIds: [], filter: null })).toEqual({ kind: "none", reason: "no_members" });
    const many = Array.from({ length: MAX_SCOPE_MEMBERS + 1 }, (_, index) => `auth0|${index}`);
    expect(buildScopeClause({ connections: [], memberIds: many, filter: null })).toEqual({
      kind: "none",
      reason: "too_many_members",
    });
    expect(buildScopeClause({ connections: [], memberIds: null, filter: null })).toEqual({ kind: "none", reason: "invalid" });
  });

  it("restrictQuery: the operator's query AND the scope; null for nobody", () => {
    const limited = { kind: "limited", clause: '((app_metadata.region:"eu"))' } as const;
    expect(restrictQuery('email:jo* OR name:"jo"', limited)).toBe('((app_metadata.region:"eu")) AND (email:jo* OR name:"jo")');
    expect(restrictQuery(undefined, limited)).toBe('((app_metadata.region:"eu"))');
    expect(restrictQuery("email:jo*", { kind: "all" })).toBe("email:jo*");
    expect(restrictQuery(undefined, { kind: "all" })).toBeUndefined();
    expect(restrictQuery("email:jo*", { kind: "none", reason: "invalid" })).toBeNull();
  });
});
