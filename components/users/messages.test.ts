import { describe, expect, it } from "vitest";
import { SEARCH_FIELDS } from "@/lib/auth0/lucene";
import { SORT_OPTIONS } from "@/lib/validations/users";
import en from "@/messages/en/users.json";
import ja from "@/messages/ja/users.json";

type Catalog = { [key: string]: string | Catalog };

function leafKeys(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

describe("users message catalogs", () => {
  it("English and Japanese have the same keys in the same order", () => {
    expect(leafKeys(ja as Catalog)).toEqual(leafKeys(en as Catalog));
  });

  it.each([
    ["en", en],
    ["ja", ja],
  ])("%s names every search field, placeholder and sort option", (_locale, catalog) => {
    expect(Object.keys(catalog.search.fields)).toEqual([...SEARCH_FIELDS]);
    expect(Object.keys(catalog.search.placeholders)).toEqual([...SEARCH_FIELDS]);
    expect(Object.keys(catalog.search.sortOptions)).toEqual(SORT_OPTIONS.map((option) => option.key));
  });

  it("says 'just now' for times at or ahead of the clock", () => {
    expect([en.relativeTime.justNow, ja.relativeTime.justNow]).toEqual(["just now", "たった今"]);
  });
});
