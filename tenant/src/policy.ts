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

/**
 * The rules a connection enforces, from the classic fields or, where the connection has them,
 * from `password_options` (each part replaces the classic field it stands for; unconfirmed).
 */
export type EffectivePolicy = {
  history: { enable: boolean; size: number };
  dictionary: { enable: boolean; words: string[] };
  personalInfo: { enable: boolean; blockedFields: string[] };
};

export function effectivePolicy(connection: Connection): EffectivePolicy {
  const options = connection.options;
  const modern = options.password_options;
  return {
    history: modern?.history
      ? { enable: modern.history.active === true, size: modern.history.size ?? 5 }
      : { enable: options.password_history?.enable === true, size: options.password_history?.size ?? 5 },
    dictionary: modern?.dictionary
      ? { enable: modern.dictionary.active === true, words: modern.dictionary.custom ?? [] }
      : {
          enable: options.password_dictionary?.enable === true,
          words: options.password_dictionary?.dictionary ?? [],
        },
    personalInfo: modern?.profile_data
      ? { enable: modern.profile_data.active === true, blockedFields: modern.profile_data.blocked_fields ?? [] }
      : { enable: options.password_no_personal_info?.enable === true, blockedFields: [] },
  };
}

function rulesFor(connection: Connection): PolicyRules {
  const complexity = connection.options.password_options?.complexity;
  // The newer format goes through the policy package's own reader, as Auth0's does.
  if (complexity) return { length: { minLength: 1 }, ...policies.createRulesFromOptions(complexity) };
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
    connection.options.password_options?.complexity,
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
  const option = effectivePolicy(connection).dictionary;
  if (!option.enable) return false;
  // Auth0: exact, case-insensitive comparison with its default list and the connection's own.
  const candidate = password.toLowerCase();
  return DEFAULT_DICTIONARY.includes(candidate) || option.words.some((word) => word.toLowerCase() === candidate);
}

const DEFAULT_PERSONAL_FIELDS = [
  "name",
  "username",
  "nickname",
  "email",
  "given_name",
  "family_name",
  "user_metadata.name",
  "user_metadata.first",
  "user_metadata.last",
];

/**
 * Values from the profile that a password must not contain when the personal-info rule is on:
 * Auth0's documented fields (name, username, nickname, user_metadata name/first/last, the email
 * before the @), the given and family names, and `password_options.profile_data.blocked_fields`.
 * Each value and each of its parts (split at spaces and . _ - + @) of 3 characters or more counts;
 * an email-like value (Auth0 sets `name` to the email) counts by its part before the @. How Auth0
 * matches is unconfirmed. The dashboard mirrors this in lib/password-policy/personal-info.ts.
 */
function personalValues(user: Partial<User>, blockedFields: readonly string[]): string[] {
  const values = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value !== "string") return;
    let lower = value.toLowerCase().trim();
    if (lower.includes("@")) lower = lower.split("@")[0] ?? "";
    if (lower.length >= 3) values.add(lower);
    for (const part of lower.split(/[\s._\-+]+/)) if (part.length >= 3) values.add(part);
  };
  const record = user as Record<string, unknown>;
  const metadata = user.user_metadata ?? {};
  for (const field of new Set([...DEFAULT_PERSONAL_FIELDS, ...blockedFields])) {
    add(field.startsWith("user_metadata.") ? metadata[field.slice("user_metadata.".length)] : record[field]);
  }
  return [...values];
}

function containsPersonalInfo(connection: Connection, user: Partial<User>, password: string): boolean {
  const option = effectivePolicy(connection).personalInfo;
  if (!option.enable) return false;
  const candidate = password.toLowerCase();
  return personalValues(user, option.blockedFields).some((value) => candidate.includes(value));
}

async function isInHistory(
  connection: Connection,
  secret: UserSecret | undefined,
  password: string,
): Promise<boolean> {
  const option = effectivePolicy(connection).history;
  if (!option.enable || !secret) return false;
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
