import { describe, expect, it } from "vitest";
import { classifyPasswordPolicyError } from "./policy-errors";

describe("classifyPasswordPolicyError", () => {
  it("maps each Auth0 policy error by name", () => {
    expect(classifyPasswordPolicyError({ message: "PasswordStrengthError: Password is too weak" })).toBe(
      "strength",
    );
    expect(
      classifyPasswordPolicyError({ message: "PasswordHistoryError: Password has previously been used" }),
    ).toBe("history");
    expect(classifyPasswordPolicyError({ message: "PasswordDictionaryError: Password is too common" })).toBe(
      "dictionary",
    );
    expect(
      classifyPasswordPolicyError({ message: "PasswordNoUserInfoError: Password contains user information" }),
    ).toBe("personalInfo");
    expect(classifyPasswordPolicyError({ message: "Bad Request", errorCode: "PasswordHistoryError" })).toBe(
      "history",
    );
  });

  it("returns null for other errors", () => {
    expect(
      classifyPasswordPolicyError({ message: "Cannot update password of user with non-database connection" }),
    ).toBeNull();
    expect(classifyPasswordPolicyError({})).toBeNull();
  });
});
