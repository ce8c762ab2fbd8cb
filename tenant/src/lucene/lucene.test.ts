import { describe, expect, it } from "vitest";
import { LuceneSyntaxError, compileLucene, matchesLucene, parseLucene, type LuceneNode } from "./index";
import { SYNTHETIC_QUERY, syntheticUsers } from "./synthetic";

type U = Record<string, unknown>;

const jane: U = {
  user_id: "auth0|63d1abc",
  email: "Jane.Smith@Example.com",
  email_verified: true,
  username: "JaneS",
  name: "Jane Smith",
  nickname: "jane.smith",
  given_name: "Jane",
  family_name: "Smith",
  created_at: "2024-01-15T10:00:00.000Z",
  updated_at: "2024-06-01T00:00:00.000Z",
  last_login: "2024-05-31T23:59:59.999Z",
  logins_count: 150,
  blocked: false,
  identities: [
    {
      connection: "Username-Password-Authentication",
      provider: "auth0",
      user_id: "63d1abc",
      isSocial: false,
    },
  ],
  app_metadata: { plan: "gold", level: 7, roles: ["admin", "support"], subscription: { plan: "Pro" } },
  user_metadata: { addresses: [{ city: "Paris" }, { city: "Lyon" }], nick: "JJ" },
};
const taro: U = {
  user_id: "google-oauth2|1150001",
  email: "taro@example.jp",
  email_verified: false,
  name: "山田 太郎",
  nickname: "Taro Yamada",
  given_name: "太郎",
  family_name: "山田",
  created_at: "2023-12-31T23:00:00.000Z",
  updated_at: "2023-12-31T23:00:00.000Z",
  logins_count: 3,
  blocked: true,
  identities: [
    { connection: "google-oauth2", provider: "google-oauth2", user_id: "1150001", isSocial: true },
    { connection: "Username-Password-Authentication", provider: "auth0", user_id: "x1", isSocial: false },
  ],
  app_metadata: {},
  user_metadata: {},
};
const fresh: U = {
  user_id: "samlp|acme|jdoe",
  email: "jdoe@acme.test",
  name: "🎉 Party Person 👩‍💻",
  nickname: "jdoe",
  created_at: "2024-03-01T00:00:00.000Z",
  updated_at: "2024-03-01T00:00:00.000Z",
  identities: [{ connection: "acme", provider: "samlp", user_id: "acme|jdoe", isSocial: false }],
  app_metadata: { plan: null, tags: [] },
  user_metadata: { bio: "Likes C:\\ paths & (parens)" },
};
const all = [jane, taro, fresh];

/** Ids of the users the query matches, in fixture order. */
const ids = (q: string) => all.filter(compileLucene(q)).map((u) => u.user_id);
const err = (q: string): LuceneSyntaxError => {
  try {
    parseLucene(q);
  } catch (e) {
    if (e instanceof LuceneSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${q}`);
};
const J = "auth0|63d1abc";
const T = "google-oauth2|1150001";
const F = "samlp|acme|jdoe";

describe("empty and match-all", () => {
  it.each(["", "   ", "\t\n", "*", "*:*"])("%j matches everyone", (q) => {
    expect(ids(q)).toEqual([J, T, F]);
  });
  it("empty query parses to the all node", () => {
    expect(parseLucene(" ")).toEqual({ kind: "all" });
  });
});

describe("field:value", () => {
  it.each([
    ["email:jane.smith@example.com", [J]],
    ["email:JANE.SMITH@EXAMPLE.COM", [J]],
    ['email:"jane.smith@example.com"', [J]],
    ["email:jane", []],
    ["user_id:auth0|63d1abc", [J]],
    ['user_id:"AUTH0|63d1abc"', []],
    ["username:janes", [J]],
    ["name:jane", [J]],
    ["name:SMITH", [J]],
    ['name:"jane smith"', [J]],
    ['name:"smith jane"', []],
    ["name:jane\\ smith", [J]],
    ["given_name:jane", [J]],
    ["family_name:山田", [T]],
    ["nickname:yamada", [T]],
    ["nickname:jane.smith", [J]],
    ["email_verified:true", [J]],
    ["email_verified:false", [T]],
    ["blocked:true", [T]],
    ["logins_count:150", [J]],
    ["logins_count:3.0", [T]],
    ["email.domain:example.com", [J]],
    ['email.domain:"EXAMPLE.JP"', [T]],
    ["email.domain:example", []],
    ["phone_number:123", []],
    ["created_at:2024-01-15", [J]], // a date-only term matches that whole UTC day
    ["created_at:2023-12-31", [T]],
    ['created_at:"2024-01-15T10:00:00.000Z"', [J]],
    ['created_at:"2024-01-15T10:00:00Z"', [J]], // same instant, different spelling
    ["last_login:2024-05-31 OR _missing_:last_login", [J, T, F]],
    ["* AND blocked:true", [T]],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
});

describe("nested fields", () => {
  it.each([
    ['identities.connection:"google-oauth2"', [T]],
    ["identities.connection:Username-Password-Authentication", [J, T]],
    ["identities.provider:samlp", [F]],
    ["identities.isSocial:true", [T]],
    ["identities.isSocial:false", [J, T, F]],
    ["identities.user_id:acme|jdoe", [F]],
    ['app_metadata.plan:"gold"', [J]],
    ["app_metadata.plan:Gold", []],
    ["app_metadata.level:7", [J]],
    ["app_metadata.roles:support", [J]],
    ["app_metadata.subscription.plan:Pro", [J]],
    ['user_metadata.addresses.city:"Lyon"', [J]],
    ["user_metadata.nick:JJ", [J]],
    ["user_metadata.nick:jj", []],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
});

describe("bare terms search the default fields", () => {
  it.each([
    ["jane", [J]],
    ["JANE", [J]],
    ["taro@example.jp", [T]],
    ["auth0|63d1abc", [J]],
    ["yamada", [T]],
    ["山田", [T]],
    ['"jane smith"', [J]],
    ["gold", []], // metadata is not searched by bare terms
    ["Paris", []],
    ["jan*", [J]],
    ["nobody", []],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
});

describe("boolean operators", () => {
  it.each([
    ["jane OR taro@example.jp", [J, T]],
    ["jane taro@example.jp", [J, T]], // default operator is OR
    ["jane || taro@example.jp", [J, T]],
    ["name:jane AND blocked:false", [J]],
    ["name:jane && blocked:true", []],
    ["NOT blocked:true", [J, F]],
    ["!blocked:true", [J, F]],
    ["-blocked:true", [J, F]],
    ["email_verified:true OR NOT blocked:true", [J]], // Lucene: NOT excludes within the list
    ["identities.connection:Username-Password-Authentication NOT blocked:true", [J]],
    ["identities.connection:Username-Password-Authentication AND NOT blocked:true", [J]],
    ["+identities.isSocial:false jane", [J, T, F]],
    ["+identities.isSocial:false -jane", [T, F]],
    ["name:jane AND logins_count:150 OR blocked:true", [J, T]],
    ["blocked:true OR name:jane AND logins_count:1", [T]], // AND binds tighter than OR
    ["(blocked:true OR name:jane) AND logins_count:150", [J]],
    ["NOT (blocked:true OR name:jane)", [F]],
    ["NOT NOT blocked:true", [T]],
    ["and", []], // lowercase operators are plain terms
    ['"AND"', []],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
});

describe("field grouping", () => {
  it.each([
    ["name:(jane OR taro)", [J]],
    ["nickname:(jane.smith OR yamada)", [J, T]],
    ['email:("jane.smith@example.com" OR "taro@example.jp")', [J, T]],
    ["name:(+jane -smith)", []],
    ["name:(jane AND smith)", [J]],
    ["identities.connection:(acme google-oauth2)", [T, F]],
    ["_exists_:(logins_count OR last_login)", [J, T]],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
});

describe("wildcards", () => {
  it.each([
    ["email:jane*", [J]],
    ["email:JA*", [J]],
    ["email:j*", [J, F]],
    ["email:ta?o@example.jp", [T]],
    ["email:*@example.com", [J]], // suffix match with ≥3 literal characters (Auth0 docs: name:*usa)
    ["name:*ith", [J]],
    ["name:yam*", []],
    ["nickname:yam*", [T]], // word-level match in name-like fields
    ["name:sm?th", [J]],
    ["name:j*e", [J]],
    ["name:jane\\ sm*", [J]], // escaped space: whole-value match
    ["user_id:auth0|*", [J]],
    ["user_id:AUTH0|*", []], // user_id is case-sensitive
    ["identities.connection:google*", [T]],
    ["app_metadata.plan:go*", [J]],
    ["email:j**@acme.test", [F]],
    ["email:\\*jane*", []], // escaped star is literal
    ["name:🎉*", [F]],
    ["name:p?rty", [F]],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });

  it.each([
    ["name:*", /_exists_:name/],
    ["name:?", /_exists_/],
    ["name:*sa", /at least 3/],
    ["email:*om", /at least 3/],
    ["user_metadata.nick:J*", /user_metadata/],
    ["logins_count:1*", /not supported on the number field/],
    ["created_at:2024*", /date field/],
    ["blocked:tr*", /bool/],
    ["name*:jane", /field names/],
    ["_exists_:app*", /plain field name/],
  ])("rejects %s", (q, msg) => {
    expect(err(q).message).toMatch(msg);
  });

  it("compiles prefix and suffix patterns to fast paths", () => {
    const p = parseLucene("email:Jane*");
    expect(p).toMatchObject({ kind: "wildcard", lowerGlob: { mode: "prefix", literal: "jane" } });
    expect(parseLucene("email:*@x.com")).toMatchObject({ lowerGlob: { mode: "suffix", literal: "@x.com" } });
  });
});

describe("ranges", () => {
  it.each([
    ["logins_count:[100 TO 200]", [J]],
    ["logins_count:[150 TO 200]", [J]],
    ["logins_count:{150 TO 200]", []],
    ["logins_count:[1 TO 150}", [T]],
    ["logins_count:[3 TO 150]", [J, T]],
    ["logins_count:{3 TO *]", [J]],
    ["logins_count:[* TO 10]", [T]],
    ["logins_count:[* TO *]", [J, T]], // missing fields never match a range
    ["created_at:[2024-01-01 TO *]", [J, F]],
    ["created_at:[* TO 2023-12-31]", [T]], // inclusive upper date-only bound covers the whole day
    ["created_at:[* TO 2023-12-31}", []],
    ["created_at:{2023-12-31 TO *]", [J, F]], // exclusive lower date-only bound excludes the whole day
    ["last_login:[2024-05-31 TO 2024-05-31]", [J]],
    ['created_at:["2024-01-15T10:00:00.000Z" TO "2024-01-15T10:00:00.000Z"]', [J]],
    ["created_at:[2024-01-15T10:00:00Z TO 2024-02-01]", [J]], // colons allowed in bounds
    ["updated_at:[2024-06-01 TO 2024-06-01]", [J]],
    ["last_password_reset:[2000-01-01 TO *]", []],
    ["app_metadata.level:[5 TO 10]", [J]],
    ["app_metadata.plan:[a TO h]", [J]],
    ["logins_count:[-5 TO 3]", [T]],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });

  it.each([
    ["name:[a TO z]", /not supported on 'name'/],
    ["email:[a TO z]", /not supported/],
    ["user_metadata.age:[1 TO 5]", /not supported/],
    ["[1 TO 5]", /needs a field/],
    ["logins_count:[a TO 5]", /not a number/],
    ["created_at:[2024-13-01 TO *]", /not a valid date/],
    ["created_at:[2024-02-30 TO *]", /not a valid date/],
    ["logins_count:[1 to 5]", /TO in capitals/],
    ["logins_count:[1 TO 5", /not closed/],
    ["logins_count:[1 TO]", /Incomplete range|not closed/],
    ["logins_count:[ TO 5]", /TO in capitals|Incomplete/],
    ["logins_count:1 TO 5]", /Unexpected '\]'/],
  ])("rejects %s", (q, msg) => {
    expect(err(q).message).toMatch(msg);
  });
});

describe("_exists_ and _missing_", () => {
  it.each([
    ["_exists_:logins_count", [J, T]],
    ["_missing_:logins_count", [F]],
    ["_exists_:app_metadata.plan", [J]], // null is not indexed
    ["_exists_:app_metadata.tags", []], // nor empty arrays
    ["_exists_:app_metadata", [J]], // {} and {plan:null,tags:[]} hold no values
    ["_exists_:user_metadata.addresses.city", [J]],
    ["_exists_:identities.connection", [J, T, F]],
    ["_exists_:email.domain", [J, T, F]],
    ["_exists_:last_password_reset", []],
    ["_missing_:logins_count OR logins_count:0", [F]],
    ["email_verified:false OR _missing_:email_verified", [T, F]],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
});

describe("escaping", () => {
  it("parses every escaped Lucene special as a literal", () => {
    const specials = [
      "+",
      "-",
      "&&",
      "||",
      "!",
      "(",
      ")",
      "{",
      "}",
      "[",
      "]",
      "^",
      '"',
      "~",
      "*",
      "?",
      ":",
      "\\",
      "/",
      " ",
    ];
    for (const s of specials) {
      const escaped = Array.from(s, (c) => `\\${c}`).join("");
      const node = parseLucene(`user_metadata.x:a${escaped}b`);
      expect(node).toMatchObject({ kind: "term", value: `a${s}b` });
      expect(matchesLucene(node, { user_metadata: { x: `a${s}b` } })).toBe(true);
    }
  });
  it.each([
    ["user_metadata.bio:Likes\\ C\\:\\\\\\ paths\\ &\\ \\(parens\\)", [F]],
    ['user_metadata.bio:"Likes C:\\\\ paths & (parens)"', [F]],
    ['name:"say \\"hi\\""', []],
    ["\\AND", []],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
  it("keeps escaped quotes inside phrases", () => {
    expect(parseLucene('name:"say \\"hi\\""')).toMatchObject({ value: 'say "hi"', phrase: true });
  });
  it("allows + - & | inside terms", () => {
    expect(parseLucene("email:john+test@x-y.com")).toMatchObject({
      kind: "term",
      value: "john+test@x-y.com",
    });
    expect(parseLucene("user_id:a&b|c")).toMatchObject({ kind: "term", value: "a&b|c" });
  });
});

describe("syntax errors", () => {
  it.each([
    ['name:"jane', /Unbalanced quotes/],
    ['"', /Unbalanced quotes/],
    ["(name:jane", /never closed/],
    ["name:jane)", /unexpected '\)'/],
    ["((a) OR b", /never closed/],
    ["()", /Empty parentheses/],
    ["name:jane AND", /both sides/],
    ["AND name:jane", /both sides/],
    ["a OR OR b", /both sides/],
    ["a || ", /both sides/],
    ["NOT", /Dangling operator/],
    ["a -", /Dangling operator/],
    ["(a !)", /Dangling operator/],
    ["name:", /Missing value after 'name:'/],
    ["name: AND b", /Missing value/],
    [":jane", /must follow a field name/],
    ["a:b:c", /contains ':'.*escape it as \\:/],
    ["name:jane^2", /Boosting/],
    ["name:jane~", /Fuzzy/],
    ["name:/ja.*/", /Regular expressions/],
    ["name:jane\\", /Dangling '\\'/],
    ['name:""', /Empty phrase/],
    ["logins_count:abc", /not a number/],
    ["blocked:yes", /true or false/],
    ["created_at:yesterday", /not a valid date/],
    ["}", /Unexpected '}'/],
    ["a +", /Dangling operator/],
    ["name:jane AND (", /Expected a search term|never closed|both sides/],
    ['name:"jane"~2', /Fuzzy/],
    ["(a))", /unexpected '\)'/],
  ])("%j", (q, msg) => {
    const e = err(q);
    expect(e).toBeInstanceOf(LuceneSyntaxError);
    expect(e.name).toBe("LuceneSyntaxError");
    expect(e.message).toMatch(msg);
    expect(e.position).toBeGreaterThanOrEqual(0);
    expect(e.position).toBeLessThanOrEqual(q.length);
  });
  it("reports the position of the offending token", () => {
    expect(err('email:x name:"jane').position).toBe(13);
    expect(err("a AND (b OR c").position).toBe(6);
  });
});

describe("unicode", () => {
  it.each([
    ['name:"山田 太郎"', [T]],
    ["name:山田", [T]],
    ["name:太郎", [T]],
    ["name:山田太郎", []],
    ["given_name:太郎 AND family_name:山田", [T]],
    ["name:🎉", [F]],
    ['name:"👩‍💻"', [F]],
    ["name:party", [F]],
    ["😀", []],
    ["name:(山田 OR 🎉)", [T, F]],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
  it("matches CJK text without spaces as a substring", () => {
    expect(matchesLucene(parseLucene("name:山田"), { name: "山田太郎" })).toBe(true);
  });
  it("treats ideographic space (U+3000) as whitespace", () => {
    expect(ids("name:山田\u3000OR\u3000blocked:false")).toEqual([J, T]);
  });
  it("counts an emoji as one character for ?", () => {
    expect(matchesLucene(parseLucene("user_id:ab?cd"), { user_id: "ab😀cd" })).toBe(true);
  });
  it("does not crash on lone surrogates", () => {
    expect(() => parseLucene("name:\ud800abc")).not.toThrow();
  });
});

describe("robustness", () => {
  // How fast these run is measured by `npm run bench` (bench/lucene.ts, figure 8), not asserted here.
  it("handles a 2,000-character query of clauses", () => {
    const q = Array.from({ length: 200 }, (_, i) => `email:u${i}@x.io`)
      .join(" OR ")
      .slice(0, 2000);
    const clean = q.slice(0, q.lastIndexOf(" OR "));
    expect(clean.length).toBeGreaterThan(1900);
    expect(ids(clean)).toEqual([]);
    expect(matchesLucene(parseLucene(clean), { email: "u42@x.io" })).toBe(true);
  });
  it("handles pathological wildcards without backtracking blow-up", () => {
    const q = `name:aaa${"*a".repeat(600)}*b`;
    expect(q.length).toBeGreaterThan(1200);
    const node = parseLucene(q);
    expect(matchesLucene(node, { name: "a".repeat(2000) })).toBe(false);
    expect(matchesLucene(node, { name: `${"a".repeat(1300)}b` })).toBe(true);
  });
  it("rejects deep nesting with a syntax error instead of overflowing the stack", () => {
    expect(err("(".repeat(1000) + "a" + ")".repeat(1000)).message).toMatch(/nested too deeply/);
    expect(err("NOT ".repeat(500) + "a").message).toMatch(/nested too deeply/);
    expect(err("!".repeat(2000) + "a").message).toMatch(/nested too deeply/);
  });
  it("accepts moderate nesting", () => {
    expect(ids("(".repeat(30) + "jane" + ")".repeat(30))).toEqual([J]);
  });
  it.each([
    ["2,000 quotes", '"'.repeat(2000)],
    ["2,000 backslashes", "\\".repeat(2000)],
    ["2,000 colons", ":".repeat(2000)],
    ["2,000 brackets", "[".repeat(2000)],
    ["2,000 stars", "*".repeat(2000)],
    ["2,000 emoji", "😀".repeat(1000)],
    ["2,000 mixed", 'a:(b "c\\ [1 TO 2] && ||'.repeat(80)],
  ])("%s: parses or throws LuceneSyntaxError", (_label, q) => {
    let outcome: unknown;
    try {
      const node = parseLucene(q);
      outcome = all.filter((u) => matchesLucene(node, u)).length;
    } catch (e) {
      outcome = e;
    }
    if (typeof outcome === "number") expect(outcome).toBeLessThanOrEqual(all.length);
    else expect(outcome).toBeInstanceOf(LuceneSyntaxError);
  });
  it("evaluates one query against 100,000 users", () => {
    const node = parseLucene(SYNTHETIC_QUERY);
    const n = syntheticUsers(100_000).filter((u) => matchesLucene(node, u)).length;
    // Odd i (google-oauth2), i % 500 ≥ 10, id starting with 1 (user42 is even): counted by hand.
    expect(n).toBe(5_445);
  });
  it("ignores users with odd shapes", () => {
    const node: LuceneNode = parseLucene(
      "identities.connection:x OR name:y OR logins_count:[1 TO 2] OR _exists_:a.b",
    );
    for (const u of [
      {},
      { identities: null },
      { identities: "x" },
      { name: 5 },
      { logins_count: "1" },
      { a: [[{ b: [] }]] },
    ]) {
      expect(() => matchesLucene(node, u)).not.toThrow();
    }
    expect(matchesLucene(parseLucene("identities.connection:x"), { identities: "x" })).toBe(false);
  });
});

describe("AST shape", () => {
  it("pre-lowercases terms and splits words at parse time", () => {
    expect(parseLucene('name:"Jane  SMITH"')).toMatchObject({
      kind: "term",
      field: "name",
      value: "Jane  SMITH",
      lower: "jane  smith",
      words: ["jane", "smith"],
      phrase: true,
    });
  });
  it("builds bool nodes with must/should/mustNot", () => {
    expect(parseLucene("a AND b -c")).toEqual({
      kind: "bool",
      must: [],
      should: [
        {
          kind: "bool",
          must: [expect.objectContaining({ value: "a" }), expect.objectContaining({ value: "b" })],
          should: [],
          mustNot: [],
        },
      ],
      mustNot: [expect.objectContaining({ value: "c" })],
    });
  });
  it("turns _missing_ into a negated exists", () => {
    expect(parseLucene("_missing_:blocked")).toEqual({
      kind: "bool",
      must: [],
      should: [],
      mustNot: [{ kind: "exists", field: "blocked", path: ["blocked"] }],
    });
  });
});
