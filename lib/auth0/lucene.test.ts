import fc from "fast-check";
import { describe, expect, it } from "vitest";
// The local tenant's parser is an independent implementation of Auth0's v3 syntax with no
// imports of its own: a good oracle for "the input could not change the query's structure".
import { compileLucene, LuceneSyntaxError, parseLucene, type LuceneNode } from "@/tenant/src/lucene/index";
import {
  buildAnyQuery,
  classifyAnyTerm,
  buildConnectionFilter,
  buildFieldQuery,
  buildUserSearchQuery,
  escapeLuceneTerm,
  hasBalancedGroups,
  isPrefixSearch,
  MAX_LUCENE_QUERY_LENGTH,
  MAX_SEARCH_TEXT_LENGTH,
  normalizeSearchText,
  quoteLucenePhrase,
  type SimpleSearchField,
} from "./lucene";

describe("escapeLuceneTerm", () => {
  it.each([
    ["+", "\\+"],
    ["-", "\\-"],
    ["&&", "\\&\\&"],
    ["||", "\\|\\|"],
    ["!", "\\!"],
    ["(", "\\("],
    [")", "\\)"],
    ["{", "\\{"],
    ["}", "\\}"],
    ["[", "\\["],
    ["]", "\\]"],
    ["^", "\\^"],
    ['"', '\\"'],
    ["~", "\\~"],
    ["*", "\\*"],
    ["?", "\\?"],
    [":", "\\:"],
    ["\\", "\\\\"],
    ["/", "\\/"],
    [" ", "\\ "],
    ["=", "\\="],
  ])("escapes %j", (input, expected) => {
    expect(escapeLuceneTerm(input)).toBe(expected);
  });

  it("leaves ordinary characters alone", () => {
    expect(escapeLuceneTerm("jane.doe@example.com")).toBe("jane.doe@example.com");
    expect(escapeLuceneTerm("山田太郎")).toBe("山田太郎");
    expect(escapeLuceneTerm("😀x")).toBe("😀x");
  });

  it("escapes every character of a string made only of specials", () => {
    expect(escapeLuceneTerm('+-&|!(){}[]^"~*?:\\/')).toBe(
      '\\+\\-\\&\\|\\!\\(\\)\\{\\}\\[\\]\\^\\"\\~\\*\\?\\:\\\\\\/',
    );
  });
});

describe("quoteLucenePhrase", () => {
  it("escapes only backslashes and quotes", () => {
    expect(quoteLucenePhrase('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteLucenePhrase("a\\b")).toBe('"a\\\\b"');
    expect(quoteLucenePhrase("a:b*c")).toBe('"a:b*c"');
  });
});

describe("normalizeSearchText", () => {
  it("trims and folds whitespace, including the ideographic space and newlines", () => {
    expect(normalizeSearchText("  jane \t\n doe  ")).toBe("jane doe");
    expect(normalizeSearchText("山田\u3000太郎")).toBe("山田 太郎");
  });

  it("drops control characters", () => {
    expect(normalizeSearchText("ja\u0000ne\u0007")).toBe("ja ne");
  });
});

describe("wildcard rule", () => {
  it("needs three literal characters before a trailing wildcard", () => {
    expect(isPrefixSearch("jo")).toBe(false);
    expect(isPrefixSearch("joh")).toBe(true);
  });

  it("counts code points, not UTF-16 units", () => {
    expect(isPrefixSearch("😀😀")).toBe(false);
    expect(isPrefixSearch("山田")).toBe(false);
    expect(isPrefixSearch("山田太")).toBe(true);
  });

  it("never uses a wildcard for text with < or > (they cannot be escaped in Elasticsearch)", () => {
    expect(isPrefixSearch("a<b>c")).toBe(false);
  });
});

describe("buildFieldQuery", () => {
  it("returns undefined for empty or blank input", () => {
    expect(buildFieldQuery("email", "")).toBeUndefined();
    expect(buildFieldQuery("email", "   \u3000 ")).toBeUndefined();
  });

  it("searches an email by prefix from three characters", () => {
    expect(buildFieldQuery("email", "jane@ex")).toBe("email:jane@ex*");
  });

  it("matches short input exactly, quoted", () => {
    expect(buildFieldQuery("email", "ja")).toBe('email:"ja"');
    expect(buildFieldQuery("userId", "a")).toBe('user_id:"a"');
  });

  it("searches the name and its parts", () => {
    expect(buildFieldQuery("name", "jane")).toBe("name:jane* OR given_name:jane* OR family_name:jane*");
    expect(buildFieldQuery("name", "山田")).toBe('name:"山田" OR given_name:"山田" OR family_name:"山田"');
  });

  it("escapes the space in a multi-word prefix", () => {
    expect(buildFieldQuery("name", "jane do")).toBe(
      "name:jane\\ do* OR given_name:jane\\ do* OR family_name:jane\\ do*",
    );
  });

  it("escapes the | of a user id", () => {
    expect(buildFieldQuery("userId", "auth0|abc")).toBe("user_id:auth0\\|abc*");
  });

  it("searches connections by identity", () => {
    expect(buildFieldQuery("connection", "google-oauth2")).toBe("identities.connection:google\\-oauth2*");
  });

  it.each([
    ["quotes", '"jane"', 'email:\\"jane\\"*'],
    ["colon", "email:x", "email:email\\:x*"],
    ["match all", "*:*", "email:\\*\\:\\**"],
    ["short match all", "*", 'email:"*"'],
    ["wildcards", "j*n?", "email:j\\*n\\?*"],
    ["OR keyword", "a OR b", "email:a\\ OR\\ b*"],
    ["bare OR", "OR", 'email:"OR"'],
    ["backslash", "a\\b", "email:a\\\\b*"],
    ["trailing backslash", "abc\\", "email:abc\\\\*"],
    ["grouping", "x) OR (y", "email:x\\)\\ OR\\ \\(y*"],
    ["range", "[a TO z]", "email:\\[a\\ TO\\ z\\]*"],
    ["negation", "-jane", "email:\\-jane*"],
    ["boost", "jane^4", "email:jane\\^4*"],
    ["regex", "/.*/", "email:\\/.\\*\\/*"],
    ["emoji", "🦄🦄🦄", "email:🦄🦄🦄*"],
    ["angle brackets", "<script>", 'email:"<script>"'],
  ])("keeps hostile input (%s) inside one clause", (_label, input, expected) => {
    expect(buildFieldQuery("email", input)).toBe(expected);
  });
});

describe("buildAnyQuery (the default mode)", () => {
  it("returns undefined for blank input", () => {
    expect(buildAnyQuery(" \u3000 ")).toBeUndefined();
  });

  it.each([
    ["auth0|63d1a2b3c4", "userId"],
    ["google-oauth2|115012345678901234567", "userId"],
    ["samlp|acme|jdoe", "userId"],
    ["email|5f0c8e", "userId"],
    ["jane@", "email"],
    ["@example.com", "email"],
    ["jane.doe@example.com", "email"],
    ["山田", "name"],
    ["jane", "name"],
    ["a | b", "name"],
    ["Auth0|x", "name"],
    ["|abc", "name"],
    ["abc|", "name"],
  ])("reads %j as %s", (input, kind) => {
    expect(classifyAnyTerm(input)).toBe(kind);
  });

  it("matches a pasted user id exactly", () => {
    expect(buildAnyQuery("  auth0|63d1a2b3c4 ")).toBe('user_id:"auth0|63d1a2b3c4"');
    expect(buildAnyQuery("samlp|acme|jdoe")).toBe('user_id:"samlp|acme|jdoe"');
  });

  it("searches an email by prefix, or exactly when short", () => {
    expect(buildAnyQuery("jane@")).toBe("email:jane@*");
    expect(buildAnyQuery("jane.doe@example.com")).toBe("email:jane.doe@example.com*");
    expect(buildAnyQuery("j@")).toBe('email:"j@"');
  });

  it("searches names, nickname, username and email together by prefix", () => {
    expect(buildAnyQuery("jane")).toBe(
      "name:jane* OR given_name:jane* OR family_name:jane* OR nickname:jane* OR username:jane* OR email:jane*",
    );
    expect(buildAnyQuery("jane doe")).toBe(
      "name:jane\\ doe* OR given_name:jane\\ doe* OR family_name:jane\\ doe* OR nickname:jane\\ doe* OR username:jane\\ doe* OR email:jane\\ doe*",
    );
  });

  it("quotes short and CJK text (Auth0 indexes CJK per character, so a wildcard would find nothing)", () => {
    expect(buildAnyQuery("jo")).toBe(
      'name:"jo" OR given_name:"jo" OR family_name:"jo" OR nickname:"jo" OR username:"jo" OR email:"jo"',
    );
    expect(buildAnyQuery("山田")).toBe(
      'name:"山田" OR given_name:"山田" OR family_name:"山田" OR nickname:"山田" OR username:"山田" OR email:"山田"',
    );
    expect(buildAnyQuery("山田太郎")).toBe(
      'name:"山田太郎" OR given_name:"山田太郎" OR family_name:"山田太郎" OR nickname:"山田太郎" OR username:"山田太郎" OR email:"山田太郎"',
    );
  });

  it.each([
    ['"', 'name:"\\"" OR given_name:"\\"" OR family_name:"\\"" OR nickname:"\\"" OR username:"\\"" OR email:"\\""'],
    [":b", 'name:":b" OR given_name:":b" OR family_name:":b" OR nickname:":b" OR username:":b" OR email:":b"'],
    ["a:b", "name:a\\:b* OR given_name:a\\:b* OR family_name:a\\:b* OR nickname:a\\:b* OR username:a\\:b* OR email:a\\:b*"],
    [
      "x) OR (y",
      "name:x\\)\\ OR\\ \\(y* OR given_name:x\\)\\ OR\\ \\(y* OR family_name:x\\)\\ OR\\ \\(y* OR nickname:x\\)\\ OR\\ \\(y* OR username:x\\)\\ OR\\ \\(y* OR email:x\\)\\ OR\\ \\(y*",
    ],
    ['a"|b', 'name:a\\"\\|b* OR given_name:a\\"\\|b* OR family_name:a\\"\\|b* OR nickname:a\\"\\|b* OR username:a\\"\\|b* OR email:a\\"\\|b*'],
    ['auth0|x"y', 'user_id:"auth0|x\\"y"'],
    ['a"b@c', 'email:a\\"b@c*'],
  ])("keeps hostile input %j inside its clauses", (input, expected) => {
    expect(buildAnyQuery(input)).toBe(expected);
  });

  it("finds 山田 太郎 by 山田, a user id and an email prefix at the local tenant", () => {
    const user = {
      user_id: "auth0|63d1a2b3c4",
      email: "taro.yamada@example.jp",
      name: "山田 太郎",
      family_name: "山田",
      given_name: "太郎",
      nickname: "taro",
    };
    const other = { user_id: "auth0|zzz", email: "jane@example.com", name: "Jane Doe", nickname: "jane" };
    for (const input of ["山田", "太郎", "auth0|63d1a2b3c4", "taro.ya", "taro.yamada@", "TARO", "yamada"]) {
      const matches = compileLucene(buildAnyQuery(input) ?? "");
      expect([matches(user), matches(other)], input).toEqual([input !== "yamada", false]);
    }
  });

  it("is the default of buildUserSearchQuery and combines with the connection filter", () => {
    expect(buildUserSearchQuery({ field: "any", text: "auth0|abc", connection: "github" })).toEqual({
      ok: true,
      q: 'identities.connection:"github" AND (user_id:"auth0|abc")',
    });
    expect(buildUserSearchQuery({ field: "any", text: "a".repeat(2_000) })).toEqual({
      ok: false,
      reason: "too_long",
    });
  });
});

describe("buildUserSearchQuery", () => {
  it("combines the connection filter with AND and parentheses", () => {
    expect(buildUserSearchQuery({ field: "name", text: "jane", connection: "github" })).toEqual({
      ok: true,
      q: 'identities.connection:"github" AND (name:jane* OR given_name:jane* OR family_name:jane*)',
    });
  });

  it("uses the filter alone when there is no text", () => {
    expect(buildUserSearchQuery({ field: "email", text: "", connection: "github" })).toEqual({
      ok: true,
      q: 'identities.connection:"github"',
    });
  });

  it("returns no query at all for no text and no filter", () => {
    expect(buildUserSearchQuery({ field: "email", text: " " })).toEqual({ ok: true, q: undefined });
  });

  it("escapes a hostile connection name", () => {
    expect(buildConnectionFilter('x" OR user_id:*')).toBe('identities.connection:"x\\" OR user_id:*"');
  });

  it("passes an advanced query through as typed", () => {
    expect(buildUserSearchQuery({ field: "lucene", text: ' email.domain:"example.com" ' })).toEqual({
      ok: true,
      q: 'email.domain:"example.com"',
    });
  });

  it("wraps an advanced query so its OR stays inside the connection filter", () => {
    expect(buildUserSearchQuery({ field: "lucene", text: "a OR b", connection: "github" })).toEqual({
      ok: true,
      q: 'identities.connection:"github" AND (a OR b)',
    });
  });

  it("refuses an advanced query that would break out of its group", () => {
    expect(buildUserSearchQuery({ field: "lucene", text: "a) OR (b", connection: "github" })).toEqual({
      ok: false,
      reason: "unbalanced",
    });
    expect(buildUserSearchQuery({ field: "lucene", text: 'name:"unterminated' })).toEqual({
      ok: false,
      reason: "unbalanced",
    });
  });

  it("limits lengths", () => {
    expect(buildUserSearchQuery({ field: "email", text: "a".repeat(MAX_SEARCH_TEXT_LENGTH) }).ok).toBe(true);
    expect(buildUserSearchQuery({ field: "email", text: "a".repeat(2_000) })).toEqual({
      ok: false,
      reason: "too_long",
    });
    expect(buildUserSearchQuery({ field: "lucene", text: "a".repeat(MAX_LUCENE_QUERY_LENGTH + 1) })).toEqual({
      ok: false,
      reason: "too_long",
    });
  });

  it("accepts 2,000 hostile characters in the builder itself without breaking the structure", () => {
    const text = '"*:\\()'.repeat(334).slice(0, 2_000);
    const q = buildFieldQuery("email", text) ?? "";
    expect(q.startsWith("email:")).toBe(true);
    expect(() => parseLucene(q)).not.toThrow();
  });
});

describe("hasBalancedGroups", () => {
  it.each([
    ["(a OR b)", true],
    ["((a) AND (b))", true],
    ['name:"(" AND x', true],
    ["a\\) OR b", true],
    ["(a", false],
    ["a)", false],
    [")(", false],
    ['"open', false],
  ])("%j → %s", (query, expected) => {
    expect(hasBalancedGroups(query)).toBe(expected);
  });
});

/** The field/value leaves of a parsed query. */
function leaves(node: LuceneNode): Array<{ field: string | null; kind: string; value: string }> {
  switch (node.kind) {
    case "bool":
      return [...node.must, ...node.should, ...node.mustNot].flatMap(leaves);
    case "term":
      return [{ field: node.field, kind: "term", value: node.value }];
    case "wildcard":
      return [{ field: node.field, kind: "wildcard", value: node.pattern }];
    case "range":
      return [{ field: node.field, kind: "range", value: "" }];
    case "exists":
      return [{ field: node.field, kind: "exists", value: "" }];
    case "all":
      return [{ field: null, kind: "all", value: "" }];
  }
}

const FIELDS: Record<SimpleSearchField, string[]> = {
  email: ["email"],
  name: ["name", "given_name", "family_name"],
  userId: ["user_id"],
  connection: ["identities.connection"],
};

describe("no input changes the query structure (checked with the local tenant's parser)", () => {
  const hostile = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({
      unit: fc.constantFrom(...'+-&|!(){}[]^"~*?:\\/ <>=ORANDNOT山田😀a1.@\u3000\t'.split("")),
      maxLength: 60,
    }),
    fc.string({ unit: "grapheme", maxLength: 30 }),
  );

  it.each(Object.keys(FIELDS) as SimpleSearchField[])(
    "%s: one clause per searched field, with the input as its value",
    (field) => {
      fc.assert(
        fc.property(hostile, (input) => {
          const q = buildFieldQuery(field, input);
          const term = normalizeSearchText(input);
          if (term === "") return q === undefined;
          let parsed: LuceneNode;
          try {
            parsed = parseLucene(q ?? "");
          } catch (error) {
            // The tenant may refuse a value Auth0 would refuse too (e.g. a leading wildcard rule),
            // but never because the structure broke: only value-level complaints are acceptable.
            if (error instanceof LuceneSyntaxError && /wildcard/i.test(error.message)) return true;
            throw new Error(`${JSON.stringify(input)} → ${q} → ${(error as Error).message}`);
          }
          const found = leaves(parsed);
          expect(found.map((leaf) => leaf.field)).toEqual(FIELDS[field]);
          for (const leaf of found) {
            if (leaf.kind === "wildcard") expect(leaf.value).toBe(`${term}*`);
            else {
              expect(leaf.kind).toBe("term");
              expect(leaf.value).toBe(term);
            }
          }
          return true;
        }),
        { numRuns: 400 },
      );
    },
  );
});

describe("any mode: no input changes the query structure", () => {
  const hostile = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({
      unit: fc.constantFrom(...'+-&|!(){}[]^"~*?:\\/ <>=ORANDNOT山田😀a1.@\u3000\t'.split("")),
      maxLength: 60,
    }),
    fc.string({ unit: "grapheme", maxLength: 30 }),
  );
  const PATHS = {
    userId: ["user_id"],
    email: ["email"],
    name: ["name", "given_name", "family_name", "nickname", "username", "email"],
  };

  it("one clause per searched field, with the input as its value", () => {
    fc.assert(
      fc.property(hostile, (input) => {
        const q = buildAnyQuery(input);
        const term = normalizeSearchText(input);
        if (term === "") return q === undefined;
        const found = leaves(parseLucene(q ?? ""));
        expect(found.map((leaf) => leaf.field)).toEqual(PATHS[classifyAnyTerm(term)]);
        for (const leaf of found) expect(leaf.value).toBe(leaf.kind === "wildcard" ? `${term}*` : term);
        return true;
      }),
      { numRuns: 400 },
    );
  });
});
