import { describe, expect, it } from "vitest";
import en from "@/messages/en/auth.json";
import ja from "@/messages/ja/auth.json";

/** Every refusal signInWithOidc answers with (lib/auth/oidc.ts OIDC_REFUSALS) is shown in both languages. */
describe("SSO refusal messages", () => {
  it.each([
    ["en", en],
    ["ja", ja],
  ] as const)("%s explains every refusal", (_locale, catalog) => {
    const errors = catalog.sso.errors as Record<string, string>;
    for (const code of ["OidcNoEmail", "OidcEmailUnverified", "OidcUnknownOperator", "OidcNoRole", "OidcNoScope", "OidcScopeAmbiguous", "OidcDisabled"])
      expect(errors[code], code).toEqual(expect.stringMatching(/\S/));
  });
});
