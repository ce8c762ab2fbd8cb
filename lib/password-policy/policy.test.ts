import policies from "auth0-password-policies";
import sheriff from "password-sheriff";
import { describe, expect, it } from "vitest";
import {
  checkPasswordPolicy,
  minimumLength,
  POLICY_NAMES,
  policyNotes,
  rulesForPolicy,
  satisfiesPolicy,
} from "./policy";

const SAMPLES = [
  "",
  "a",
  "abcdef",
  "abcdefgh",
  "Abcdefgh",
  "Abcdefg1",
  "abcdefg1!",
  "Aaa1!aaaaaa",
  "Aa1!Aa1!Aa",
  "PASSWORD12",
  "Correct-Horse-9",
  "aaaBBB111!!!",
];

describe("password policy checklist", () => {
  it("agrees with the policy package for every preset and sample", () => {
    for (const name of POLICY_NAMES) {
      const reference = new sheriff.PasswordPolicy(policies[name]);
      for (const password of SAMPLES) {
        const check = checkPasswordPolicy({ policy: name, minLength: null }, password);
        expect(check.isSatisfied, `${name} / ${JSON.stringify(password)}`).toBe(
          password !== "" && reference.check(password),
        );
        expect(check.rules.map((rule) => rule.code)).toEqual(
          reference.missing(password).rules.map((rule) => rule.code),
        );
      }
    }
  });

  it("lets min_length override the preset length, as Auth0 does", () => {
    expect(minimumLength({ policy: "excellent", minLength: 12 })).toBe(12);
    expect(rulesForPolicy({ policy: "good", minLength: null }).length).toEqual({ minLength: 8 });
    expect(satisfiesPolicy({ policy: "excellent", minLength: 12 }, "Abcdefg1!x")).toBe(false);
    expect(satisfiesPolicy({ policy: "excellent", minLength: 12 }, "Abcdefg1!xyz")).toBe(true);
    const check = checkPasswordPolicy({ policy: "excellent", minLength: 12 }, "Aab1!");
    expect(check.rules[0]).toMatchObject({ code: "lengthAtLeast", values: [12], verified: false });
    expect(check.rules[1]?.items.map((item) => [item.code, item.verified])).toEqual([
      ["lowerCase", true],
      ["upperCase", true],
      ["numbers", true],
      ["specialCharacters", true],
    ]);
  });

  it("lists history, dictionary and personal-info rules as notes", () => {
    expect(policyNotes(null)).toEqual(["unknownPolicy"]);
    expect(
      policyNotes({
        policy: "good",
        minLength: null,
        history: { enabled: true, size: 5 },
        dictionary: { enabled: true },
        noPersonalInfo: { enabled: true },
      }),
    ).toEqual(["history", "dictionary", "personalInfo"]);
  });
});
