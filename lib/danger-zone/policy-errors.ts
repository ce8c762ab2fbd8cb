/**
 * Auth0 reports a refused password as a 400 whose message starts with the error's name
 * (`PasswordStrengthError: Password is too weak`); some responses carry the name as errorCode.
 * Only the name is matched, so a reworded message still maps to the right localized text.
 */
export type PasswordPolicyErrorKind = "strength" | "history" | "dictionary" | "personalInfo";

const NAMES: readonly [string, PasswordPolicyErrorKind][] = [
  ["PasswordStrengthError", "strength"],
  ["PasswordHistoryError", "history"],
  ["PasswordDictionaryError", "dictionary"],
  ["PasswordNoUserInfoError", "personalInfo"],
];

export function classifyPasswordPolicyError(error: {
  message?: string;
  errorCode?: string | undefined;
}): PasswordPolicyErrorKind | null {
  const haystack = `${error.errorCode ?? ""} ${error.message ?? ""}`;
  for (const [name, kind] of NAMES) if (haystack.includes(name)) return kind;
  return null;
}
