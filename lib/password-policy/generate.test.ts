import policies from "auth0-password-policies";
import sheriff from "password-sheriff";
import { describe, expect, it } from "vitest";
import { generatePassword, GENERATED_PASSWORD_LENGTH } from "./generate";
import { POLICY_NAMES } from "./policy";

describe("generatePassword", () => {
  it("always satisfies each preset (checked with the policy package itself)", () => {
    for (const name of POLICY_NAMES) {
      const reference = new sheriff.PasswordPolicy(policies[name]);
      for (let i = 0; i < 300; i++) {
        const password = generatePassword({ policy: name, minLength: null });
        expect(password).toHaveLength(GENERATED_PASSWORD_LENGTH);
        expect(reference.check(password), `${name}: ${password}`).toBe(true);
        expect(password).not.toMatch(/(.)\1\1/);
      }
    }
  });

  it("honours a min_length above the default length", () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword({ policy: "excellent", minLength: 40 });
      expect(password.length).toBe(40);
      expect(
        new sheriff.PasswordPolicy({ ...policies.excellent, length: { minLength: 40 } }).check(password),
      ).toBe(true);
    }
  });

  it("does not repeat itself", () => {
    const seen = new Set(
      Array.from({ length: 200 }, () => generatePassword({ policy: "good", minLength: null })),
    );
    expect(seen.size).toBe(200);
  });
});
