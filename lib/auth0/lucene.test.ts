import fc from "fast-check";
import { describe, expect, it } from "vitest";
// The local tenant's parser is an independent implementation of Auth0's v3 syntax with no
// imports of its own: a good oracle for "the input could not change the query's structure".
import { LuceneSyntaxError, parseLucene, type LuceneNode } from "@/tenant/src/lucene/index";
import {
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
