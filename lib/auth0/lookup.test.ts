import { describe, expect, it } from "vitest";
import { chunkLookupQueries, lookupKey } from "./lookup";

describe("chunkLookupQueries", () => {
  it("one query per chunk of values, phrases quoted and escaped", () => {
    expect(chunkLookupQueries("email", ["a@x.test", "b@x.test", "c@x.test"], { maxValues: 2 })).toEqual([
      { q: 'email:("a@x.test" OR "b@x.test")', values: ["a@x.test", "b@x.test"] },
      { q: 'email:("c@x.test")', values: ["c@x.test"] },
    ]);
    expect(chunkLookupQueries("user_id", ['auth0|a"b', "auth0|c\\d"])).toEqual([
      { q: 'user_id:("auth0|a\\"b" OR "auth0|c\\\\d")', values: ['auth0|a"b', "auth0|c\\d"] },
    ]);
  });

  it("keeps each query within the length budget and drops values repeated by their key", () => {
    // email:( = 7, ) = 1; "a@x.test" = 10; " OR " = 4 → two values are 32 characters.
    expect(chunkLookupQueries("email", ["a@x.test", "A@X.TEST", "b@x.test", "c@x.test"], { maxLength: 32 })).toEqual([
      { q: 'email:("a@x.test" OR "b@x.test")', values: ["a@x.test", "b@x.test"] },
      { q: 'email:("c@x.test")', values: ["c@x.test"] },
    ]);
    expect('email:("a@x.test" OR "b@x.test")').toHaveLength(32);
  });

  it("an empty list is no query", () => {
    expect(chunkLookupQueries("email", [])).toEqual([]);
  });
});

describe("lookupKey", () => {
  it("emails case-insensitively, user ids exactly", () => {
    expect(lookupKey("email", "Bob@Example.COM")).toBe("bob@example.com");
    expect(lookupKey("user_id", "auth0|AbC")).toBe("auth0|AbC");
  });
});
