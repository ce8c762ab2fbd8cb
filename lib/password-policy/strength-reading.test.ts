import { describe, expect, it } from "vitest";
import { evaluatePassword, FALLBACK_POLICY } from "./policy";
import { loadStrengthEstimator } from "./strength";
import { meterReading } from "./strength-reading";
import type { PasswordPolicy } from "@/lib/auth0/types";

const STAFF: PasswordPolicy = {
  policy: "excellent",
  minLength: 12,
  complexity: null,
  history: { enabled: false, size: 5 },
  dictionary: { enabled: true, words: ["passdesk", "passdesk123!", "Passdesk2025!", "CorrectHorse1!"] },
  noPersonalInfo: { enabled: true, blockedFields: [] },
};
const DEFAULT_DB: PasswordPolicy = { ...FALLBACK_POLICY, history: { enabled: true, size: 5 } };

describe("strength meter reading: consistent with the policy", () => {
  it("a refused password reads Refused (one red bar), whatever zxcvbn scored", () => {
    expect(meterReading(4, "dictionary")).toEqual({ kind: "refused", refusal: "dictionary", bars: 0 });
    expect(meterReading(null, "strength")).toEqual({ kind: "refused", refusal: "strength", bars: 0 });
  });

  it("a weak password that meets the rules gets the explanation; a strong one its score", () => {
    expect(meterReading(0, null)).toEqual({ kind: "weakButValid", score: 0, bars: 0 });
    expect(meterReading(2, null)).toEqual({ kind: "weakButValid", score: 2, bars: 2 });
    expect(meterReading(3, null)).toEqual({ kind: "score", score: 3, bars: 3 });
    expect(meterReading(null, null)).toBe(null);
  });

  it('"Passdesk2025!" is never "Very strong" on the staff connection; "Password1" is weak and explained', async () => {
    const estimate = await loadStrengthEstimator();
    const staff = evaluatePassword(STAFF, "Passdesk2025!", []);
    expect(meterReading(estimate("Passdesk2025!", STAFF.dictionary.words), staff.refusal)).toEqual({
      kind: "refused",
      refusal: "dictionary",
      bars: 0,
    });
    // The dictionary words count as guessable for zxcvbn too.
    expect(estimate("Passdesk2025!", STAFF.dictionary.words)).toBeLessThanOrEqual(1);
    const weak = evaluatePassword(DEFAULT_DB, "Password1", []);
    expect(weak.refusal).toBe(null);
    expect(meterReading(estimate("Password1"), weak.refusal)).toEqual({ kind: "weakButValid", score: 0, bars: 0 });
  });
});
