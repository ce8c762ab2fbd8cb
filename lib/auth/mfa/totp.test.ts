import { describe, expect, it } from "vitest";
import { generateTotpCode, totpStep, totpUri, verifyTotpCode } from "./totp";

/** RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" (ASCII), 8 digits, 30 s steps. */
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
] as const;

describe("TOTP (RFC 6238)", () => {
  it.each(RFC_VECTORS)("at T=%i the code is %s", (seconds, code) => {
    const now = new Date(seconds * 1000);
    expect(generateTotpCode(RFC_SECRET, now, { digits: 8 })).toBe(code);
    expect(verifyTotpCode({ secretBase32: RFC_SECRET, code, now, lastUsedStep: null, parameters: { digits: 8 } })).toEqual({
      ok: true,
      step: Math.floor(seconds / 30),
    });
  });

  it("accepts one step of drift either side and nothing further", () => {
    const now = new Date(1111111111 * 1000);
    const previous = generateTotpCode(RFC_SECRET, new Date(now.getTime() - 30_000));
    const next = generateTotpCode(RFC_SECRET, new Date(now.getTime() + 30_000));
    const tooOld = generateTotpCode(RFC_SECRET, new Date(now.getTime() - 90_000));
    expect(verifyTotpCode({ secretBase32: RFC_SECRET, code: previous, now, lastUsedStep: null })).toEqual({ ok: true, step: 37037036 });
    expect(verifyTotpCode({ secretBase32: RFC_SECRET, code: next, now, lastUsedStep: null })).toEqual({ ok: true, step: 37037038 });
    expect(verifyTotpCode({ secretBase32: RFC_SECRET, code: tooOld, now, lastUsedStep: null })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a code for the last used step or an earlier one (no replay)", () => {
    const now = new Date(1234567890 * 1000);
    const code = generateTotpCode(RFC_SECRET, now);
    expect(totpStep(now)).toBe(41152263);
    expect(verifyTotpCode({ secretBase32: RFC_SECRET, code, now, lastUsedStep: 41152263 })).toEqual({ ok: false, reason: "replayed" });
    expect(verifyTotpCode({ secretBase32: RFC_SECRET, code, now, lastUsedStep: 41152262 })).toEqual({ ok: true, step: 41152263 });
  });

  it("refuses malformed and wrong codes", () => {
    const now = new Date(59_000);
    for (const code of ["", "12345", "1234567", "abcdef", "28708a"]) {
      expect(verifyTotpCode({ secretBase32: RFC_SECRET, code, now, lastUsedStep: null }).ok, code).toBe(false);
    }
    expect(generateTotpCode(RFC_SECRET, now)).toBe("287082");
    expect(verifyTotpCode({ secretBase32: RFC_SECRET, code: "287 082", now, lastUsedStep: null })).toEqual({ ok: true, step: 1 });
    expect(verifyTotpCode({ secretBase32: RFC_SECRET, code: "287083", now, lastUsedStep: null })).toEqual({ ok: false, reason: "invalid" });
  });

  it("the QR URI names Passdesk and the operator", () => {
    expect(totpUri(RFC_SECRET, "admin@passdesk.test")).toBe(
      "otpauth://totp/Passdesk:admin%40passdesk.test?issuer=Passdesk&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&digits=6&period=30",
    );
  });
});
