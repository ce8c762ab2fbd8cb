import { describe, expect, it } from "vitest";
import { generateRecoveryCodes, hashRecoveryCode, looksLikeRecoveryCode, normalizeRecoveryCode } from "./recovery-codes";

describe("recovery codes", () => {
  it("ten distinct codes of the form XXXXX-XXXXX without look-alike letters", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-TV-Z0-9]{5}-[A-HJKMNP-TV-Z0-9]{5}$/);
  });

  it("hashing ignores case, spaces and dashes, and reads look-alikes as digits", () => {
    expect(normalizeRecoveryCode(" abcde-fghjk ")).toBe("ABCDEFGHJK");
    expect(normalizeRecoveryCode("OIL0u-12345")).toBe("0110V12345");
    expect(hashRecoveryCode("abcde fghjk")).toBe(hashRecoveryCode("ABCDE-FGHJK"));
    expect(hashRecoveryCode("ABCDE-FGHJK")).not.toBe(hashRecoveryCode("ABCDE-FGHJM"));
    expect(hashRecoveryCode("ABCDE-FGHJK")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("only ten alphanumerics look like a code", () => {
    expect(looksLikeRecoveryCode("ABCDE-FGHJK")).toBe(true);
    expect(looksLikeRecoveryCode("ABCDE-FGHJ")).toBe(false);
    expect(looksLikeRecoveryCode("ABCDE-FGHJ!")).toBe(false);
  });
});
