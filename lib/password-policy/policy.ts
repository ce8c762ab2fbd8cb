import policies, { type PolicyRules } from "auth0-password-policies";
import sheriff, { type RuleDescription } from "password-sheriff";
import type { PasswordComplexity, PasswordPolicy, PasswordPolicyName } from "@/lib/auth0/types";
import { findPersonalInfo } from "./personal-info";

/**
 * A database connection's password rules, computed with Auth0's own policy package — the same
 * package the tenant enforces — so the browser checklist and the server agree. Client-safe.
 *
 * Besides the strength rules, a connection may forbid dictionary words, personal info and the
 * user's previous passwords. The form checks what it can know (the connection's own dictionary,
 * the user's profile) and says plainly what only Auth0 can check (its built-in list of common
 * passwords, the password history).
 */

/** The part of a policy that decides the strength rules. */
export type StrengthRules = Pick<PasswordPolicy, "policy" | "minLength"> &
  Partial<Pick<PasswordPolicy, "complexity">>;

/** One line of the checklist: `code` is password-sheriff's rule code (localized by the UI). */
export type PolicyRuleCheck = {
  code: string;
  verified: boolean;
  /** The rule's parameters (minimum length, "3 of 4", the repeated-character example). */
  values: (string | number)[];
  items: PolicyRuleCheck[];
};

export type PolicyCheck = { rules: PolicyRuleCheck[]; isSatisfied: boolean };

/** Rules Auth0 checks that cannot be shown as a live checklist (they need the server's data). */
export type PolicyNote = "history" | "dictionary" | "personalInfo" | "unknownPolicy";

/** When the connection's options could not be read, assume Auth0's default for new tenants. */
export const FALLBACK_POLICY: PasswordPolicy = {
  policy: "good",
  minLength: null,
  complexity: null,
  history: { enabled: false, size: 0 },
  dictionary: { enabled: false, words: [] },
  noPersonalInfo: { enabled: false, blockedFields: [] },
};

function complexityOptions(complexity: PasswordComplexity): Record<string, unknown> {
  return {
    min_length: complexity.minLength ?? undefined,
    character_types: complexity.characterTypes,
    character_type_rule: complexity.characterTypeRule ?? undefined,
    identical_characters: complexity.identicalCharacters ?? undefined,
    sequential_characters: complexity.sequentialCharacters ?? undefined,
    max_length_exceeded: complexity.maxLengthExceeded ?? undefined,
  };
}

/**
 * The password-sheriff rules of a policy: from `password_options.complexity` when the connection
 * uses the newer format (through the package's own `createRulesFromOptions`), else the preset with
 * `min_length` overriding its length. A complexity the package refuses (e.g. "3 of 4" without all
 * four types) falls back to the preset: Auth0 would not have stored it.
 */
export function rulesForPolicy(policy: StrengthRules): PolicyRules {
  if (policy.complexity) {
    try {
      const rules = policies.createRulesFromOptions(complexityOptions(policy.complexity));
      // No min_length in the options: every password needs one character at least.
      return { length: { minLength: 1 }, ...rules };
    } catch {
      // fall through to the preset
    }
  }
  const base: PolicyRules = policies[policy.policy] ?? policies.none;
  const rules: PolicyRules = { ...base };
  if (typeof policy.minLength === "number" && policy.minLength >= 1)
    rules.length = { minLength: policy.minLength };
  return rules;
}

const engines = new Map<string, InstanceType<typeof sheriff.PasswordPolicy>>();

function engineFor(policy: StrengthRules) {
  const key = JSON.stringify([policy.policy, policy.minLength ?? null, policy.complexity ?? null]);
  let engine = engines.get(key);
  if (!engine) {
    engine = new sheriff.PasswordPolicy(rulesForPolicy(policy));
    engines.set(key, engine);
  }
  return engine;
}

function toCheck(rule: RuleDescription): PolicyRuleCheck {
  return {
    code: rule.code,
    verified: rule.verified === true,
    values: rule.format ?? [],
    items: (rule.items ?? []).map(toCheck),
  };
}

/** The live checklist of the strength rules for a candidate password. */
export function checkPasswordPolicy(policy: StrengthRules, password: string): PolicyCheck {
  const result = engineFor(policy).missing(password);
  return { rules: result.rules.map(toCheck), isSatisfied: result.verified === true && password.length > 0 };
}

/** Whether a password meets the strength rules (what Auth0 reports as PasswordStrengthError). */
export function satisfiesPolicy(policy: StrengthRules, password: string): boolean {
  return password.length > 0 && engineFor(policy).check(password);
}

/** The minimum length in force (preset, `min_length` or `password_options.complexity`). */
export function minimumLength(policy: StrengthRules): number {
  return rulesForPolicy(policy).length?.minLength ?? 1;
}

/** Rules Auth0 also enforces beyond strength (kept for callers that only list them). */
export function policyNotes(policy: PasswordPolicy | null): PolicyNote[] {
  if (!policy) return ["unknownPolicy"];
  const notes: PolicyNote[] = [];
  if (policy.history.enabled) notes.push("history");
  if (policy.dictionary.enabled) notes.push("dictionary");
  if (policy.noPersonalInfo.enabled) notes.push("personalInfo");
  return notes;
}

/**
 * How the form can know a rule: `pending` (nothing typed yet), `met`, `failed`, or `auth0` (only
 * Auth0 can check it, when the password is saved: its common-password list, the history).
 */
export type RuleState = "pending" | "met" | "failed" | "auth0";

/** A rule beyond the strength rules, in the order Auth0 checks them (strength first). */
export type ExtraRule =
  | { code: "customDictionary"; state: RuleState; count: number }
  | { code: "defaultDictionary"; state: RuleState }
  | { code: "personalInfo"; state: RuleState }
  | { code: "history"; state: RuleState; size: number };

/** The kinds of refusal the form can foresee; named as Auth0's errors (lib/danger-zone/policy-errors). */
export type ForeseenRefusal = "strength" | "dictionary" | "personalInfo";

export type PasswordEvaluation = {
  strength: PolicyCheck;
  extra: ExtraRule[];
  /** The first rule known to refuse the password (Auth0's order), or null. */
  refusal: ForeseenRefusal | null;
  /** Whether a rule remains that only Auth0 can check (its verdict comes when saving). */
  hasAuth0Checks: boolean;
};

/** Case-insensitive exact match, as Auth0 compares dictionary entries. */
export function isInCustomDictionary(words: readonly string[], password: string): boolean {
  const candidate = password.toLowerCase();
  return words.some((word) => word.toLowerCase() === candidate);
}

/**
 * Everything the form can say about a candidate password under a connection's policy.
 * `personalValues` come from personalInfoValues (the user's profile).
 */
export function evaluatePassword(
  policy: PasswordPolicy,
  password: string,
  personalValues: readonly string[],
): PasswordEvaluation {
  const isEmpty = password === "";
  const known = (fails: boolean): RuleState => (isEmpty ? "pending" : fails ? "failed" : "met");
  const strength = checkPasswordPolicy(policy, password);
  const extra: ExtraRule[] = [];
  let isInDictionary = false;
  let hasPersonalInfo = false;
  if (policy.dictionary.enabled) {
    if (policy.dictionary.words.length > 0) {
      isInDictionary = !isEmpty && isInCustomDictionary(policy.dictionary.words, password);
      extra.push({ code: "customDictionary", state: known(isInDictionary), count: policy.dictionary.words.length });
    }
    extra.push({ code: "defaultDictionary", state: isEmpty ? "pending" : "auth0" });
  }
  if (policy.noPersonalInfo.enabled) {
    hasPersonalInfo = !isEmpty && findPersonalInfo(personalValues, password) !== null;
    extra.push({ code: "personalInfo", state: known(hasPersonalInfo) });
  }
  if (policy.history.enabled) {
    extra.push({ code: "history", state: isEmpty ? "pending" : "auth0", size: policy.history.size });
  }
  const refusal: ForeseenRefusal | null = isEmpty
    ? null
    : !strength.isSatisfied
      ? "strength"
      : isInDictionary
        ? "dictionary"
        : hasPersonalInfo
          ? "personalInfo"
          : null;
  return {
    strength,
    extra,
    refusal,
    hasAuth0Checks: policy.dictionary.enabled || policy.history.enabled,
  };
}

export const POLICY_NAMES: readonly PasswordPolicyName[] = ["none", "low", "fair", "good", "excellent"];
