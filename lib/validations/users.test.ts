import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEARCH_STATE,
  formatSort,
  parseSort,
  parseUserSearchQuery,
  searchStateFromParams,
  searchStateToParams,
  SORT_OPTIONS,
} from "./users";

describe("user search state", () => {
  it("round-trips through the URL, omitting defaults", () => {
    const state = {
      q: "山田 太郎",
      field: "name" as const,
      connection: "github",
      sort: "last_login:-1",
      page: 3,
      perPage: 50 as const,
    };
    const params = searchStateToParams(state);
    expect(searchStateFromParams(params)).toEqual(state);
    expect(searchStateToParams(DEFAULT_SEARCH_STATE).toString()).toBe("");
  });

  it("falls back per value for a hand-edited URL", () => {
    expect(
      searchStateFromParams(new URLSearchParams("field=nope&page=-2&perPage=7&sort=password:1&q=x")),
    ).toEqual({
      ...DEFAULT_SEARCH_STATE,
      q: "x",
    });
  });

  it("parses sorts", () => {
    expect(parseSort("identities.connection:1")).toEqual({ field: "identities.connection", direction: 1 });
    expect(parseSort("logins_count:-1")).toEqual({ field: "logins_count", direction: -1 });
    expect(parseSort("name:2")).toBeUndefined();
    expect(parseSort("app_metadata.secret:1")).toBeUndefined();
  });
});

describe("parseUserSearchQuery (route handler)", () => {
  it("applies defaults and treats blanks as unset", () => {
    const parsed = parseUserSearchQuery(new URLSearchParams("q=&sort=&connection="));
    expect(parsed.success && parsed.data).toEqual({
      q: "",
      field: "any",
      connection: "",
      sort: "",
      page: 1,
      perPage: 25,
    });
  });

  it.each([
    ["perPage=500", "perPage"],
    ["perPage=abc", "perPage"],
    ["page=0", "page"],
    ["field=password", "field"],
    ["sort=name:0", "sort"],
  ])("rejects %s", (query, parameter) => {
    const parsed = parseUserSearchQuery(new URLSearchParams(query));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([parameter]);
  });

  it("limits the text by field", () => {
    expect(parseUserSearchQuery(new URLSearchParams({ q: "a".repeat(2_000) })).success).toBe(false);
    expect(parseUserSearchQuery(new URLSearchParams({ q: "a".repeat(900), field: "lucene" })).success).toBe(
      true,
    );
  });
});

describe("sort options", () => {
  it("offers exactly these orders, each one the route handler accepts", () => {
    const values = SORT_OPTIONS.map((option) => formatSort(option.sort));
    expect(values).toEqual([
      "name:1",
      "name:-1",
      "email:1",
      "email:-1",
      "identities.connection:1",
      "identities.connection:-1",
      "logins_count:-1",
      "logins_count:1",
      "last_login:-1",
      "last_login:1",
      "user_id:1",
      "created_at:-1",
    ]);
    for (const value of values) {
      expect(parseUserSearchQuery(new URLSearchParams({ sort: value })).success).toBe(true);
      expect(searchStateFromParams({ sort: value }).sort).toBe(value);
    }
  });
});
