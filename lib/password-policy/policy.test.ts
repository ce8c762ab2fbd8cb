import policies from "auth0-password-policies";
import sheriff from "password-sheriff";
import { describe, expect, it } from "vitest";
import type { PasswordPolicy } from "@/lib/auth0/types";
import { personalInfoValues } from "./personal-info";
import {
  checkPasswordPolicy,
  evaluatePassword,
  FALLBACK_POLICY,
  minimumLength,
  type PasswordEvaluation,
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
        ...FALLBACK_POLICY,
        history: { enabled: true, size: 5 },
        dictionary: { enabled: true, words: [] },
        noPersonalInfo: { enabled: true, blockedFields: [] },
      }),
    ).toEqual(["history", "dictionary", "personalInfo"]);
  });
});

/** The seeded Passdesk-Staff-DB connection (tenant/src/seed.ts), as toPasswordPolicy reads it. */
const STAFF: PasswordPolicy = {
  policy: "excellent",
  minLength: 12,
  complexity: null,
  history: { enabled: false, size: 5 },
  dictionary: { enabled: true, words: ["passdesk", "passdesk123!", "Passdesk2025!", "CorrectHorse1!"] },
  noPersonalInfo: { enabled: true, blockedFields: [] },
};
/** Username-Password-Authentication: good, history 5. */
const DEFAULT_DB: PasswordPolicy = { ...FALLBACK_POLICY, history: { enabled: true, size: 5 } };

const YAMADA = personalInfoValues({
  name: "Hanako Yamada",
  email: "hanako.yamada@example.jp",
  username: "hyamada",
  nickname: "hana",
  user_metadata: { first: "Hanako", last: "Yamada" },
});

function states(evaluation: PasswordEvaluation): [string, string][] {
  return evaluation.extra.map((rule) => [rule.code, rule.state]);
}

describe("evaluatePassword: every rule of the connection", () => {
  it('"Passdesk2025!" on the staff connection: in the custom dictionary, refused (not all green)', () => {
    const evaluation = evaluatePassword(STAFF, "Passdesk2025!", []);
    expect(evaluation.strength.isSatisfied).toBe(true);
    expect(states(evaluation)).toEqual([
      ["customDictionary", "failed"],
      ["defaultDictionary", "auth0"],
      ["personalInfo", "met"],
    ]);
    expect(evaluation.refusal).toBe("dictionary");
    expect(evaluatePassword(STAFF, "passdesk2025!", []).refusal).toBe("dictionary");
    // Exact (case-insensitive) match, as Auth0 compares: a longer password is not in the list.
    expect(evaluatePassword(STAFF, "Passdesk2025!-Harbor", []).refusal).toBe(null);
  });

  it('"Passdesk2025!" on a connection without a dictionary: the rules are met, nothing foreseen', () => {
    const evaluation = evaluatePassword(DEFAULT_DB, "Passdesk2025!", []);
    expect(evaluation.refusal).toBe(null);
    expect(states(evaluation)).toEqual([["history", "auth0"]]);
  });

  it('"Password1": every strength rule of "good" met, history left to Auth0', () => {
    const evaluation = evaluatePassword(DEFAULT_DB, "Password1", []);
    expect(evaluation.strength.rules.map((rule) => [rule.code, rule.verified])).toEqual([
      ["lengthAtLeast", true],
      ["containsAtLeast", true],
    ]);
    expect(evaluation.refusal).toBe(null);
    expect(evaluation.hasAuth0Checks).toBe(true);
    // On the staff connection it is too short (12) and also fails the dictionary only Auth0 knows.
    expect(evaluatePassword(STAFF, "Password1", []).refusal).toBe("strength");
  });

  it("an empty field: every rule pending, nothing refused", () => {
    const evaluation = evaluatePassword(STAFF, "", YAMADA);
    expect(evaluation.refusal).toBe(null);
    expect(evaluation.strength.isSatisfied).toBe(false);
    expect(states(evaluation)).toEqual([
      ["customDictionary", "pending"],
      ["defaultDictionary", "pending"],
      ["personalInfo", "pending"],
    ]);
    expect(states(evaluatePassword(DEFAULT_DB, "", []))).toEqual([["history", "pending"]]);
  });

  it("personal info: name, email local part, username, nickname and metadata, case-insensitive", () => {
    expect(YAMADA).toEqual(["hanako yamada", "hanako", "yamada", "hyamada", "hana", "hanako.yamada"]);
    for (const password of [
      "Yamada-Lantern-2031",
      "HANAKO-lantern-2031",
      "xx-hyamada-Lantern-9",
      "Lantern-Hana-2031!x",
      "Hanako.Yamada!2031",
    ]) {
      expect(evaluatePassword(STAFF, password, YAMADA).refusal, password).toBe("personalInfo");
    }
    expect(evaluatePassword(STAFF, "Quiet-Harbor-Lamp-47", YAMADA).refusal).toBe(null);
    // The rule is off on the default connection: the same password is not refused there.
    expect(evaluatePassword(DEFAULT_DB, "Yamada-Lantern-2031", YAMADA).refusal).toBe(null);
  });

  it("personal info: parts shorter than 3 characters are ignored; blocked_fields add fields", () => {
    expect(personalInfoValues({ name: "Li Wu", email: "li@example.com" })).toEqual(["li wu"]);
    expect(personalInfoValues({ phone_number: "+15555550100" })).toEqual([]);
    // Auth0 sets name to the email when none is given: it counts by its local part, not the domain.
    const byEmail = personalInfoValues({ name: "alice.demo@example.com", email: "alice.demo@example.com" });
    expect(byEmail).toEqual(["alice.demo", "alice", "demo"]);
    expect(evaluatePassword(STAFF, "Example-Lamp-2031!", byEmail).refusal).toBe(null);
    expect(evaluatePassword(STAFF, "Alice-Lamp-2031!", byEmail).refusal).toBe("personalInfo");
    expect(personalInfoValues({ phone_number: "+15555550100" }, ["phone_number"])).toEqual(["+15555550100", "15555550100"]);
  });

  it("strength is checked first, as Auth0 does (a short dictionary word is a strength refusal)", () => {
    expect(evaluatePassword(STAFF, "passdesk", []).refusal).toBe("strength");
  });
});

describe("every policy level, literal cases", () => {
  it.each([
    ["none", "a", true],
    ["low", "abcde", false],
    ["low", "abcdef", true],
    ["fair", "abcdefg1", false],
    ["fair", "Abcdefg1", true],
    ["good", "abcdefgh", false],
    ["good", "abcdefg1!", true],
    ["good", "Password1", true],
    ["excellent", "Password1!", true],
    ["excellent", "Passsword1!", false],
    ["excellent", "Pass1!", false],
  ] as const)("%s: %j → %s", (policy, password, expected) => {
    expect(evaluatePassword({ ...FALLBACK_POLICY, policy }, password, []).refusal === null).toBe(expected);
  });
});

describe("password_options.complexity (the newer connection format)", () => {
  const complexity = {
    minLength: 14,
    characterTypes: ["lowercase", "uppercase", "number", "special"],
    characterTypeRule: "all",
    identicalCharacters: "block",
    sequentialCharacters: "block",
    maxLengthExceeded: "error",
  } as const satisfies PasswordPolicy["complexity"];
  const modern: PasswordPolicy = { ...FALLBACK_POLICY, policy: "none", complexity: { ...complexity, characterTypes: [...complexity.characterTypes] } };

  it("takes its rules from createRulesFromOptions, not the preset", () => {
    expect(rulesForPolicy(modern)).toEqual(
      policies.createRulesFromOptions({
        min_length: 14,
        character_types: ["lowercase", "uppercase", "number", "special"],
        character_type_rule: "all",
        identical_characters: "block",
        sequential_characters: "block",
        max_length_exceeded: "error",
      }),
    );
    expect(checkPasswordPolicy(modern, "").rules.map((rule) => rule.code)).toEqual([
      "lengthAtLeast",
      "shouldContain",
      "identicalChars",
      "sequentialChars",
      "maxLength",
    ]);
    expect(minimumLength(modern)).toBe(14);
  });

  it.each([
    ["Harbor-Lamp-47x", true],
    ["harbor-lamp-47x", false],
    ["Harbor-Lamp-xyz", false],
    ["Harbor-Laaamp-47", false],
    ["Harbor-Lamp-123", false],
    ["Harb-Lamp-4x", false],
    [`Harbor-Lamp-47${"x".repeat(60)}`, false],
  ] as const)("%j → %s", (password, expected) => {
    expect(satisfiesPolicy(modern, password)).toBe(expected);
  });

  it('"three_of_four" needs all four types listed; otherwise the preset stands (Auth0 refuses such options)', () => {
    const odd: PasswordPolicy = {
      ...FALLBACK_POLICY,
      policy: "fair",
      complexity: { ...complexity, characterTypes: ["lowercase"], characterTypeRule: "three_of_four" },
    };
    expect(rulesForPolicy(odd)).toEqual(policies.fair);
  });

  it("without min_length a password still needs one character", () => {
    const bare: PasswordPolicy = {
      ...FALLBACK_POLICY,
      complexity: {
        minLength: null,
        characterTypes: [],
        characterTypeRule: null,
        identicalCharacters: null,
        sequentialCharacters: null,
        maxLengthExceeded: null,
      },
    };
    expect(satisfiesPolicy(bare, "x")).toBe(true);
    expect(checkPasswordPolicy(bare, "").rules.map((rule) => rule.code)).toEqual(["nonEmpty"]);
  });
});
