import { describe, expect, it } from "vitest";
import { mapScope, parseScopeMap } from "./oidc-scope-map";

describe("OIDC_SCOPE_MAP parsing", () => {
  it("reads groups to scopes in map order, normalized; null is the whole tenant", () => {
    expect(
      parseScopeMap('{"eu-helpdesk": {"filter": " app_metadata.region:\\"eu\\" "}, "acme": {"organizations": ["org_b", "org_a"], "connections": ["db"]}, "passdesk-admins": null}'),
    ).toEqual([
      { group: "eu-helpdesk", scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' } },
      { group: "acme", scope: { connections: ["db"], organizations: ["org_a", "org_b"], filter: null } },
      { group: "passdesk-admins", scope: null },
    ]);
  });

  it.each([
    ["eu=x", "is not JSON"],
    ['["eu"]', "is not a JSON object"],
    ["{}", "maps no group"],
    ['{"eu": {}}', 'group "eu" has an empty scope (write null for the whole tenant)'],
    ['{"eu": {"filter": ""}}', 'group "eu" has an empty scope (write null for the whole tenant)'],
    ['{"eu": {"filter": "app_metadata.region:(eu"}}', 'group "eu": filter: scope.filter_unbalanced'],
    ['{"eu": {"organizations": ["acme"]}}', 'group "eu": organizations.0: scope.organization_invalid'],
    ['{"eu": {"region": "eu"}}', 'group "eu": Unrecognized key: "region"'],
    ['{"eu": "eu"}', 'group "eu": Invalid input: expected object, received string'],
    ['{"eu": null, " eu ": null}', 'group "eu" is mapped twice'],
  ])("refuses %s: %s", (value, message) => {
    expect(() => parseScopeMap(value)).toThrow(message);
  });
});

describe("mapping a scope claim", () => {
  const EU = { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' };
  const map = parseScopeMap('{"eu-helpdesk": {"filter": "app_metadata.region:\\"eu\\""}, "eu-tier2": {"filter": "app_metadata.region:\\"eu\\""}, "us-helpdesk": {"filter": "app_metadata.region:\\"us\\""}, "passdesk-admins": null}');
  const withFallback = parseScopeMap('{"eu-helpdesk": {"filter": "app_metadata.region:\\"eu\\""}, "*": null}');
  it.each([
    ["one group", map, ["helpdesk", "eu-helpdesk"], { ok: true, scope: EU }],
    ["two groups, the same scope", map, ["eu-helpdesk", "eu-tier2"], { ok: true, scope: EU }],
    ["a group mapped to the whole tenant", map, ["passdesk-admins"], { ok: true, scope: null }],
    ["a space-separated string claim", map, "helpdesk eu-helpdesk", { ok: true, scope: EU }],
    ["two groups, two scopes", map, ["eu-helpdesk", "us-helpdesk"], { ok: false, reason: "scope_ambiguous" }],
    ["a scope and the whole tenant", map, ["eu-helpdesk", "passdesk-admins"], { ok: false, reason: "scope_ambiguous" }],
    ["no mapped group", map, ["helpdesk"], { ok: false, reason: "no_scope" }],
    ["no claim", map, undefined, { ok: false, reason: "no_scope" }],
    ['"*" literally in the claim', map, ["*"], { ok: false, reason: "no_scope" }],
    ['no mapped group, with a "*" entry', withFallback, ["helpdesk"], { ok: true, scope: null }],
    ['a mapped group wins over "*"', withFallback, ["eu-helpdesk"], { ok: true, scope: EU }],
  ])("%s", (_name, scopeMap, claim, expected) => {
    expect(mapScope(scopeMap, claim)).toEqual(expected);
  });
});
