import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import en from "@/messages/en/audit.json";
import ja from "@/messages/ja/audit.json";
import { AUDIT_OUTCOME_FILTERS, AUDIT_VIEWS } from "@/lib/validations/audit";

type Catalog = { [key: string]: string | Catalog };

function leafKeys(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

/** next-intl reads "a.b" as nesting, so a message is found by walking the dotted path. */
function lookup(catalog: Catalog, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, part) => (node && typeof node === "object" ? (node as Catalog)[part] : undefined),
      catalog,
    );
}

describe("audit message catalogs", () => {
  it("English and Japanese have exactly the same keys", () => {
    expect(leafKeys(ja as Catalog).sort()).toEqual(leafKeys(en as Catalog).sort());
  });

  it("no key contains a dot (next-intl would read it as nesting and never find it)", () => {
    const keys = (catalog: Catalog): string[] =>
      Object.entries(catalog).flatMap(([key, value]) => [
        key,
        ...(typeof value === "string" ? [] : keys(value)),
      ]);
    expect(keys(en as Catalog).filter((key) => key.includes("."))).toEqual([]);
  });

  it.each([
    ["en", en],
    ["ja", ja],
  ] as const)("%s labels every action, outcome filter and view the page can show", (_locale, catalog) => {
    for (const action of AUDIT_ACTIONS)
      expect(lookup(catalog as Catalog, `actions.${action}`), action).toEqual(expect.any(String));
    for (const outcome of AUDIT_OUTCOME_FILTERS) {
      expect(lookup(catalog as Catalog, `outcomes.${outcome}`)).toEqual(expect.any(String));
      expect(lookup(catalog as Catalog, `outcomeFilters.${outcome}`)).toEqual(expect.any(String));
    }
    for (const view of AUDIT_VIEWS)
      expect(lookup(catalog as Catalog, `views.${view}`)).toEqual(expect.any(String));
  });
});
