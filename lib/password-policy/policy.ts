import policies, { type PolicyRules } from "auth0-password-policies";
import sheriff, { type RuleDescription } from "password-sheriff";
import type { PasswordPolicy, PasswordPolicyName } from "@/lib/auth0/types";

/**
 * A database connection's strength rules, computed with Auth0's own policy package — the same
 * package the tenant enforces — so the browser checklist and the server agree. Client-safe.
 */

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
  history: { enabled: false, size: 0 },
  dictionary: { enabled: false },
  noPersonalInfo: { enabled: false },
};

/** The password-sheriff rules of a policy: the preset, with `min_length` overriding its length. */
export function rulesForPolicy(policy: Pick<PasswordPolicy, "policy" | "minLength">): PolicyRules {
  const base: PolicyRules = policies[policy.policy] ?? policies.none;
  const rules: PolicyRules = { ...base };
  if (typeof policy.minLength === "number" && policy.minLength >= 1)
    rules.length = { minLength: policy.minLength };
  return rules;
}

const engines = new Map<string, InstanceType<typeof sheriff.PasswordPolicy>>();

function engineFor(policy: Pick<PasswordPolicy, "policy" | "minLength">) {
  const key = `${policy.policy}:${policy.minLength ?? ""}`;
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

/** The live checklist for a candidate password. */
export function checkPasswordPolicy(
  policy: Pick<PasswordPolicy, "policy" | "minLength">,
  password: string,
): PolicyCheck {
  const result = engineFor(policy).missing(password);
  return { rules: result.rules.map(toCheck), isSatisfied: result.verified === true && password.length > 0 };
}

/** Whether a password meets the strength rules (what Auth0 reports as PasswordStrengthError). */
export function satisfiesPolicy(
  policy: Pick<PasswordPolicy, "policy" | "minLength">,
  password: string,
): boolean {
  return password.length > 0 && engineFor(policy).check(password);
}

/** The minimum length in force (preset or `min_length`). */
export function minimumLength(policy: Pick<PasswordPolicy, "policy" | "minLength">): number {
  return rulesForPolicy(policy).length?.minLength ?? 1;
}

/** Rules Auth0 also enforces that the checklist cannot verify; shown as notes. */
export function policyNotes(policy: PasswordPolicy | null): PolicyNote[] {
  if (!policy) return ["unknownPolicy"];
  const notes: PolicyNote[] = [];
  if (policy.history.enabled) notes.push("history");
  if (policy.dictionary.enabled) notes.push("dictionary");
  if (policy.noPersonalInfo.enabled) notes.push("personalInfo");
  return notes;
}

export const POLICY_NAMES: readonly PasswordPolicyName[] = ["none", "low", "fair", "good", "excellent"];
