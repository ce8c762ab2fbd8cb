import { describe, expect, it } from "vitest";
import en from "@/messages/en/bulk.json";
import ja from "@/messages/ja/bulk.json";
import { BULK_OPERATIONS, countPreview, needsDatabaseIdentity, operationMessageKey } from "./operations";

type Catalog = { [key: string]: string | Catalog };

function leafKeys(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

describe("bulk operations", () => {
  it("lists the three operations, each with its message key; only the password ones need a database user", () => {
    expect(BULK_OPERATIONS).toEqual(["password.reset_email", "password.force_reset", "sessions.revoke"]);
    expect(BULK_OPERATIONS.map(operationMessageKey)).toEqual(["reset_email", "force_reset", "sign_out"]);
    expect(BULK_OPERATIONS.map(needsDatabaseIdentity)).toEqual([true, true, false]);
  });

  it("counts preview rows by status", () => {
    expect(countPreview([{ status: "matched" }, { status: "matched" }, { status: "not_database" }, { status: "unknown" }])).toEqual({
      matched: 2,
      unknown: 1,
      ambiguous: 0,
      duplicate: 0,
      not_database: 1,
    });
  });
});

describe("bulk message catalogs", () => {
  it("English and Japanese have exactly the same keys", () => {
    expect(leafKeys(ja as Catalog).sort()).toEqual(leafKeys(en as Catalog).sort());
  });

  it.each([
    ["en", en],
    ["ja", ja],
  ] as const)("%s names every operation", (_locale, catalog) => {
    expect(Object.keys(catalog.newJob.operations).sort()).toEqual(["force_reset", "reset_email", "sign_out"]);
    expect(catalog.newJob.operationHint).toEqual(expect.any(String));
  });
});
