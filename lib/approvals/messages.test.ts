import { describe, expect, it } from "vitest";
import en from "@/messages/en/approvals.json";
import ja from "@/messages/ja/approvals.json";
import enDanger from "@/messages/en/dangerZone.json";
import jaDanger from "@/messages/ja/dangerZone.json";

type Catalog = { [key: string]: string | Catalog };

function leafKeys(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

describe("approval message catalogs", () => {
  it("English and Japanese have exactly the same keys", () => {
    expect(leafKeys(ja as Catalog).sort()).toEqual(leafKeys(en as Catalog).sort());
  });

  it.each([
    ["en", en, enDanger],
    ["ja", ja, jaDanger],
  ] as const)("%s names every request state, every refusal and the Danger Zone's approval answers", (_locale, catalog, danger) => {
    expect(Object.keys(catalog.status).sort()).toEqual(["APPROVED", "AWAITING_APPROVAL", "EXPIRED", "REJECTED", "USED"]);
    expect(Object.keys(catalog.errors).sort()).toEqual(["auditUnavailable", "expired", "notFound", "notProtected", "ownRequest", "wrongState"]);
    expect(danger.errors).toHaveProperty("approvalRequired", expect.any(String));
    expect(danger.errors).toHaveProperty("approvalPending", expect.any(String));
  });
});
