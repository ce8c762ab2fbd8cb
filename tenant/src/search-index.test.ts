import { describe, expect, it } from "vitest";
import { matchesLucene, parseLucene } from "./lucene/index.ts";
import { planSearch, SearchIndex } from "./search-index.ts";
import { seedTenant } from "./seed.ts";
import type { User } from "./types.ts";

/** Users with the values an index can get wrong: types, case, dotted keys, nested arrays. */
function tricky(id: string, extra: Partial<User>): User {
  return {
    user_id: id,
    created_at: "2025-01-01T00:00:00.000Z",
    updated_at: "2025-01-01T00:00:00.000Z",
    identities: [
      {
        connection: "Username-Password-Authentication",
        user_id: id.split("|")[1] ?? id,
        provider: "auth0",
        isSocial: false,
      },
    ],
    app_metadata: {},
    user_metadata: {},
    picture: "",
    name: id,
    nickname: id,
    ...extra,
  };
}

const TRICKY: User[] = [
  tricky("auth0|n1", { email: "Mixed.Case@Example.COM", app_metadata: { tier: 3, region: "eu", vip: true } }),
  tricky("auth0|s1", { email: "lower@example.com", app_metadata: { tier: "3", region: "EU", vip: "true" } }),
  tricky("auth0|d1", { app_metadata: { "region.code": "eu", nested: { region: "eu" } } }),
  tricky("auth0|a1", {
    app_metadata: { tags: [["x", "y"], "z"], roles: [{ name: "admin" }, { name: "agent" }] },
  }),
  tricky("auth0|l1", { app_metadata: { note: "x".repeat(300), region: "eu" } }),
  tricky("auth0|u1", { username: "MixedUser", user_metadata: { team: "blue", level: 0 } }),
  tricky("google-oauth2|g1", {
    email: "social@example.com",
    identities: [
      { connection: "google-oauth2", user_id: "g1", provider: "google-oauth2", isSocial: true },
      { connection: "Username-Password-Authentication", user_id: "g1db", provider: "auth0", isSocial: false },
    ],
  }),
];

function storeOf(users: readonly User[]): { users: Map<string, User>; index: SearchIndex } {
  const map = new Map(users.map((user) => [user.user_id, user]));
  const index = new SearchIndex();
  for (const user of map.values()) index.put(user);
  return { users: map, index };
}

function run(store: ReturnType<typeof storeOf>, q: string): { ids: string[]; examined: number } {
  const plan = planSearch(store.users, store.index, parseLucene(q));
  const ids: string[] = [];
  let examined = 0;
  for (const user of plan.candidates) {
    examined += 1;
    if (plan.test(user)) ids.push(user.user_id);
  }
  return { ids, examined };
}

function scan(store: ReturnType<typeof storeOf>, q: string): string[] {
  const node = parseLucene(q);
  return [...store.users.values()].filter((user) => matchesLucene(node, user)).map((user) => user.user_id);
}

describe("search index: exact terms, as the matcher compares them", () => {
  const store = storeOf(TRICKY);
  // Each expected list is written out: what the matcher's own rules say (lucene/index.ts termHit).
  const cases: [string, string[]][] = [
    ["app_metadata.tier:3", ["auth0|n1", "auth0|s1"]], // a number by value, a string "3" as text
    ['app_metadata.tier:"3.0"', ["auth0|n1"]], // 3.0 is the number 3; the string "3" is not "3.0"
    ["app_metadata.vip:true", ["auth0|n1", "auth0|s1"]], // a boolean by its text, and the string "true"
    ['app_metadata.region:"eu"', ["auth0|n1", "auth0|l1"]], // keyword: case-sensitive
    [`app_metadata.note:"${"x".repeat(300)}"`, ["auth0|l1"]], // too long to index: the matcher finds it
    [`app_metadata.note:"${"x".repeat(300)}" AND app_metadata.region:"eu"`, ["auth0|l1"]],
    ['app_metadata.region:"EU"', ["auth0|s1"]],
    ['email:"mixed.case@example.com"', ["auth0|n1"]], // ci
    ["username:mixeduser", ["auth0|u1"]], // ci
    ['app_metadata.region.code:"eu"', []], // the key "region.code" is not the path region → code
    ['app_metadata.nested.region:"eu"', ["auth0|d1"]],
    ["app_metadata.tags:y", ["auth0|a1"]], // nested arrays are flattened
    ['app_metadata.roles.name:"agent"', ["auth0|a1"]],
    ["user_metadata.level:0", ["auth0|u1"]],
    [
      'identities.connection:"Username-Password-Authentication"',
      ["auth0|n1", "auth0|s1", "auth0|d1", "auth0|a1", "auth0|l1", "auth0|u1", "google-oauth2|g1"],
    ],
    ['identities.connection:"google-oauth2" AND app_metadata.tier:3', []],
    [
      'identities.connection:("google-oauth2" OR "nope") AND email:"social@example.com"',
      ["google-oauth2|g1"],
    ],
    ['user_id:("auth0|s1" OR "auth0|n1" OR "auth0|missing")', ["auth0|n1", "auth0|s1"]], // store order, not query order
    ['user_id:("auth0|s1" OR "auth0|n1") AND NOT app_metadata.region:"eu"', ["auth0|s1"]],
    ['user_id:("auth0|s1" OR "auth0|n1") AND -app_metadata.tier:"3"', []],
    [
      '(user_id:("auth0|a1" OR "auth0|u1")) AND (name:auth0* OR app_metadata.tags:z)',
      ["auth0|a1", "auth0|u1"],
    ],
  ];
  it.each(cases)("%s", (q, expected) => {
    expect(run(store, q).ids).toEqual(expected);
    expect(scan(store, q)).toEqual(expected);
  });

  it("follows replaced and deleted users (copy-on-write: the old object is not consulted)", () => {
    const local = storeOf(TRICKY);
    const before = local.users.get("auth0|n1") as User;
    const moved = { ...before, app_metadata: { ...before.app_metadata, region: "us" } };
    // The store's order is the Map's: a replaced user keeps its place.
    local.users.set(moved.user_id, moved);
    local.index.put(moved);
    expect(run(local, 'app_metadata.region:"eu"').ids).toEqual(["auth0|l1"]);
    expect(run(local, 'app_metadata.region:"us" OR app_metadata.region:"EU"').ids).toEqual([
      "auth0|n1",
      "auth0|s1",
    ]);
    expect(run(local, 'user_id:("auth0|s1" OR "auth0|n1")').ids).toEqual(["auth0|n1", "auth0|s1"]);

    local.users.delete("auth0|n1");
    local.index.delete("auth0|n1");
    expect(run(local, "app_metadata.tier:3").ids).toEqual(["auth0|s1"]);
    local.users.set(moved.user_id, moved);
    local.index.put(moved);
    // Deleted and added again: now last, as in the Map.
    expect(run(local, 'user_id:("auth0|s1" OR "auth0|n1")').ids).toEqual(["auth0|s1", "auth0|n1"]);
  });
});

describe("search index on the seeded tenant: the same answer as a scan, from fewer users", () => {
  const seeded = seedTenant(7, 3000, "unused-hash", Date.parse("2026-06-01T00:00:00Z"));
  const store = storeOf(seeded.users);
  const someIds = seeded.users.filter((_, at) => at % 37 === 0).map((user) => `"${user.user_id}"`);
  const members = `user_id:(${someIds.join(" OR ")})`;
  const queries = [
    'identities.connection:"Username-Password-Authentication"',
    '(identities.connection:("Username-Password-Authentication")) AND (email:jam*)',
    '(identities.connection:("google-oauth2" OR "github")) AND (name:Smith* OR given_name:Smith* OR family_name:Smith*)',
    '((app_metadata.region:"eu")) AND (email.domain:"example.jp" AND logins_count:[10 TO 200])',
    `(${members}) AND (email:a* OR name:s* OR name:山田)`,
    `(${members} AND identities.connection:("Username-Password-Authentication") AND (app_metadata.region:"eu")) AND (blocked:true OR email_verified:false)`,
    '(app_metadata.region:"us") AND NOT identities.connection:"Username-Password-Authentication"',
    'app_metadata.plan:"pro" AND email_verified:true AND NOT blocked:true',
    'email_verified:false OR app_metadata.plan:"enterprise"',
  ];
  it.each(queries)("%s", (q) => {
    const planned = run(store, q);
    expect(planned.ids).toEqual(scan(store, q));
  });

  it("a scoped search (scope AND query) looks only at the scope's users", () => {
    const scoped = run(store, '(identities.connection:("github")) AND (name:a* OR email:a*)');
    const github = seeded.users.filter((user) =>
      user.identities.some((identity) => identity.connection === "github"),
    );
    expect(github.length).toBeGreaterThan(0);
    expect(github.length).toBeLessThan(3000);
    expect(scoped.examined).toBe(github.length);
    const organization = run(store, `(${members}) AND (name:a* OR email:a*)`);
    expect(organization.examined).toBe(someIds.length);
  });
});
