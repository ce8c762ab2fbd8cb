import { describe, expect, it } from "vitest";
import en from "@/messages/en/account.json";
import ja from "@/messages/ja/account.json";

type Catalog = { [key: string]: string | Catalog };

function leafKeys(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

describe("account message catalogs", () => {
  it("English and Japanese have exactly the same keys, none with a dot", () => {
    expect(leafKeys(ja as Catalog).sort()).toEqual(leafKeys(en as Catalog).sort());
    expect(leafKeys(en as Catalog).filter((key) => key.split(".").some((part) => part === ""))).toEqual([]);
  });

  it.each([
    ["en", en],
    ["ja", ja],
  ] as const)("%s has every dialog's strings and every no-change message", (_locale, catalog) => {
    for (const kind of ["unblock", "block", "adminUnblock", "signOut", "verify"] as const)
      for (const key of ["heading", "body", "button", "title", "description", "confirm", "submit", "submitting", "successTitle", "success"])
        expect((catalog as Catalog)[kind] as Catalog, `${kind}.${key}`).toHaveProperty(key, expect.any(String));
    expect(Object.keys(catalog.errors.noChange).sort()).toEqual([
      "already_blocked",
      "already_verified",
      "no_methods",
      "not_blocked",
      "not_locked",
    ]);
  });
});
