import { describe, expect, it } from "vitest";
import { hasControlCharacters } from "./text";

describe("control characters in stored text", () => {
  it("refuses NUL, escapes and direction overrides", () => {
    for (const value of ["a\u0000b", "\u001b[31mred", "\u202Egnp.exe", "x\u2066y"]) {
      expect(hasControlCharacters(value, { allowLineBreaks: true }), JSON.stringify(value)).toBe(true);
    }
  });

  it("allows line breaks and tabs only when asked", () => {
    expect(hasControlCharacters("INC-1\nline two\tok", { allowLineBreaks: true })).toBe(false);
    expect(hasControlCharacters("INC-1\nline two")).toBe(true);
    expect(hasControlCharacters("山田 太郎 🙂")).toBe(false);
  });
});
