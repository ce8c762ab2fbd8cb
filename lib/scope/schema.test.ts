import { describe, expect, it } from "vitest";
import { parseStoredScope, storedScopeSchema } from "./schema";
import { normalizeScope, scopeKey } from "./types";

describe("stored scopes", () => {
  it("null is the whole tenant", () => {
    expect(parseStoredScope(null)).toBeNull();
    expect(parseStoredScope(undefined)).toBeNull();
  });

  it("a valid scope is read back normalized", () => {
    expect(parseStoredScope({ connections: [" eu-users", "eu-users", "Username-Password-Authentication"], organizations: [], filter: ' app_metadata.region:"eu" ' })).toEqual({
      connections: ["Username-Password-Authentication", "eu-users"],
      organizations: [],
      filter: 'app_metadata.region:"eu"',
    });
  });

  it("fails closed: damage, unknown keys, empty objects and bad values see nobody", () => {
    const nobody = { connections: [], organizations: [], filter: null, invalid: true };
    expect(parseStoredScope("eu")).toEqual(nobody);
    expect(parseStoredScope({})).toEqual(nobody);
    expect(parseStoredScope({ connections: [], organizations: [], filter: null })).toEqual(nobody);
    expect(parseStoredScope({ connections: ["bad name!"] })).toEqual(nobody);
    expect(parseStoredScope({ organizations: ["acme"] })).toEqual(nobody);
    expect(parseStoredScope({ filter: "a:(b" })).toEqual(nobody);
    expect(parseStoredScope({ filter: "x", everybody: true })).toEqual(nobody);
  });

  it("the schema names what is wrong", () => {
    const result = storedScopeSchema.safeParse({ connections: ["-x"], organizations: ["acme"], filter: "a:(b" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).sort()).toEqual(["scope.connection_invalid", "scope.filter_unbalanced", "scope.organization_invalid"]);
  });

  it("keys are stable and empty for the whole tenant", () => {
    expect(scopeKey(null)).toBe("");
    expect(scopeKey({ connections: [], organizations: [], filter: " " })).toBe("");
    expect(scopeKey({ connections: ["b", "a"], organizations: [], filter: null })).toBe('{"connections":["a","b"],"organizations":[],"filter":null}');
    expect(normalizeScope({ connections: [], organizations: ["org_abc"], filter: null })).toEqual({ connections: [], organizations: ["org_abc"], filter: null });
  });
});
