import { describe, expect, it } from "vitest";
import en from "@/messages/en/supportCase.json";
import ja from "@/messages/ja/supportCase.json";

type Catalog = { [key: string]: string | Catalog };

/** Leaf keys in file order: the two catalogs keep the same keys in the same place. */
function leafKeys(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

function at(catalog: Catalog, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Catalog)[part] : undefined), catalog);
}

describe("support-case message catalogs", () => {
  it("English and Japanese have the same keys in the same order", () => {
    expect(leafKeys(ja as Catalog)).toEqual(leafKeys(en as Catalog));
  });

  it.each([
    ["en", en],
    ["ja", ja],
  ])("%s has a headline and a fix for every cause, and a label and explanation for every reset state", (_, catalog) => {
    for (const cause of ["admin_blocked", "brute_force_locked", "external_only", "wrong_password", "email_unverified", "no_recent_failures"]) {
      expect(typeof at(catalog as Catalog, `diagnosis.${cause}.headline`), cause).toBe("string");
      expect(typeof at(catalog as Catalog, `diagnosis.${cause}.fix`), cause).toBe("string");
    }
    for (const state of ["waiting", "used", "superseded", "expired", "unknown"]) {
      expect(typeof at(catalog as Catalog, `reset.states.${state}`), state).toBe("string");
      expect(typeof at(catalog as Catalog, `reset.explain.${state}`), state).toBe("string");
    }
  });

  it("labels the log event types a support agent meets (Auth0's codes; others show raw)", () => {
    expect(Object.keys(en.timeline.logTypes)).toEqual(expect.arrayContaining([
      "s", "f", "fp", "fu", "limit_wc", "limit_mu", "scp", "fcp", "scpr", "fcpr", "svr", "sv", "sapi", "slo", "fertft", "sdu",
    ]));
  });
});
