import policies, { type PolicyRules } from "auth0-password-policies";
import sheriff from "password-sheriff";
import { verifyPassword } from "./password-hash.ts";
import type { Connection, User, UserSecret } from "./types.ts";

/** One rule of a policy as password-sheriff describes it (used for the reset page checklist). */
export type PolicyRuleDescription = {
  code: string;
  message: string;
  format?: (string | number)[];
  verified?: boolean;
  items?: PolicyRuleDescription[];
};

type SheriffPolicy = InstanceType<typeof sheriff.PasswordPolicy>;

export const POLICY_ERRORS = {
  strength: "PasswordStrengthError: Password is too weak",
  history: "PasswordHistoryError: Password has previously been used",
  dictionary: "PasswordDictionaryError: Password is too common",
  personalInfo: "PasswordNoUserInfoError: Password contains user information",
} as const;

export type PolicyErrorKind = keyof typeof POLICY_ERRORS;

/**
 * A short built-in list of common passwords, checked when the dictionary option is on, in
 * addition to the connection's own `dictionary` (Auth0 also ships a default list).
 */
const DEFAULT_DICTIONARY = [
  "password",
  "password1",
  "password123",
  "password123!",
  "passw0rd",
  "p@ssw0rd",
  "p@ssw0rd123",
  "123456",
  "12345678",
  "123456789",
  "qwerty",
  "qwerty123",
  "qwerty123!",
  "letmein",
  "welcome",
  "welcome1",
  "welcome123",
  "welcome123!",
  "iloveyou",
  "admin",
  "admin123",
  "changeme",
  "abc123",
  "monkey",
  "dragon",
  "sunshine",
  "football",
  "baseball",
  "trustno1",
  "superman",
  "passwordpassword",
  "summer2024!",
  "winter2024!",
  "spring2025!",
  "autumn2025!",
];

function rulesFor(connection: Connection): PolicyRules {
  const name = connection.options.passwordPolicy ?? "none";
  const base = policies[name] ?? policies.none;
  const rules: PolicyRules = { ...base };
  const minLength = connection.options.password_complexity_options?.min_length;
  // Auth0: password_complexity_options.min_length overrides the preset's length.
  if (typeof minLength === "number" && minLength >= 1) rules.length = { minLength };
  return rules;
}

const policyCache = new WeakMap<Connection, { key: string; policy: SheriffPolicy }>();

export function policyFor(connection: Connection): SheriffPolicy {
  const key = JSON.stringify([
    connection.options.passwordPolicy,
    connection.options.password_complexity_options,
  ]);
  const cached = policyCache.get(connection);
  if (cached && cached.key === key) return cached.policy;
  const policy = new sheriff.PasswordPolicy(rulesFor(connection));
  policyCache.set(connection, { key, policy });
  return policy;
}

/** The checklist of a connection's strength rules, with `verified` for a candidate password. */
export function describePolicy(connection: Connection, password = ""): PolicyRuleDescription[] {
  return policyFor(connection).missing(password).rules;
}

function isInDictionary(connection: Connection, password: string): boolean {
  const option = connection.options.password_dictionary;
  if (!option?.enable) return false;
  const candidate = password.toLowerCase();
  return (
    DEFAULT_DICTIONARY.includes(candidate) ||
    option.dictionary.some((word) => word.toLowerCase() === candidate)
  );
}

/** Values from the profile that a password must not contain when password_no_personal_info is on. */
function personalValues(user: Partial<User>): string[] {
  const values = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value !== "string") return;
    const lower = value.toLowerCase().trim();
    if (lower.length >= 3) values.add(lower);
    for (const part of lower.split(/[\s._\-+@]+/)) if (part.length >= 3) values.add(part);
  };
  add(user.email?.split("@")[0]);
  add(user.username);
  add(user.name);
  add(user.nickname);
  add(user.given_name);
  add(user.family_name);
  const metadata = user.user_metadata ?? {};
  add(metadata["name"]);
  add(metadata["first"]);
  add(metadata["last"]);
  return [...values];
}

function containsPersonalInfo(connection: Connection, user: Partial<User>, password: string): boolean {
  if (!connection.options.password_no_personal_info?.enable) return false;
  const candidate = password.toLowerCase();
  return personalValues(user).some((value) => candidate.includes(value));
}

async function isInHistory(
  connection: Connection,
  secret: UserSecret | undefined,
  password: string,
): Promise<boolean> {
  const option = connection.options.password_history;
  if (!option?.enable || !secret) return false;
  const recent = secret.passwordHistory.slice(0, Math.max(1, option.size));
  for (const hash of recent) {
    if (await verifyPassword(password, hash)) return true;
  }
  return false;
}

/**
 * Checks a candidate password against everything the connection enforces. Returns the kind of
 * the first failed rule (Auth0 reports one error, without rule details) or null when it passes.
 */
export async function checkPassword(
  connection: Connection,
  user: Partial<User>,
  secret: UserSecret | undefined,
  password: string,
): Promise<PolicyErrorKind | null> {
  if (!policyFor(connection).check(password)) return "strength";
  if (isInDictionary(connection, password)) return "dictionary";
  if (containsPersonalInfo(connection, user, password)) return "personalInfo";
  if (await isInHistory(connection, secret, password)) return "history";
  return null;
}
