"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { PasswordPolicy } from "@/lib/auth0/types";
import type { ExtraRule, PasswordEvaluation, PolicyRuleCheck, RuleState } from "@/lib/password-policy/policy";

const ITEM_CODES = new Set(["lowerCase", "upperCase", "numbers", "specialCharacters"]);

const MARKS: Record<RuleState, string> = { pending: "○", met: "✓", failed: "✗", auth0: "ⓘ" };
const TONES: Record<RuleState, string> = {
  pending: "text-slate-700 dark:text-slate-300",
  met: "text-green-800 dark:text-green-300",
  failed: "text-red-700 dark:text-red-400",
  auth0: "text-slate-700 dark:text-slate-300",
};

/**
 * The live checklist of the connection's password policy: the strength rules from Auth0's own
 * policy package, then dictionary, personal info and history. An empty field shows every rule
 * as pending; a rule only Auth0 can check says so instead of showing a tick.
 */
export function PolicyChecklist({
  id,
  policy,
  connection,
  password,
  evaluation,
}: {
  id: string;
  policy: PasswordPolicy | null;
  connection: string;
  password: string;
  evaluation: PasswordEvaluation;
}) {
  const t = useTranslations("dangerZone");
  const isEmpty = password === "";

  function label(rule: PolicyRuleCheck): string {
    const [first, second] = rule.values;
    switch (rule.code) {
      case "lengthAtLeast":
        return t("policy.lengthAtLeast", { count: Number(first ?? 0) });
      case "nonEmpty":
        return t("passwordChecks.nonEmpty");
      case "containsAtLeast":
        return t("policy.containsAtLeast", { atLeast: Number(first ?? 0), total: Number(second ?? 0) });
      case "shouldContain":
        return t("policy.shouldContain");
      case "identicalChars":
        return t("policy.identicalChars", { max: Number(first ?? 0) });
      case "sequentialChars":
        return t("policy.sequentialChars", { max: Number(first ?? 0) });
      case "maxLength":
        return t("policy.maxLength", { max: Number(first ?? 0) });
      default:
        return ITEM_CODES.has(rule.code)
          ? t(`policy.${rule.code as "lowerCase" | "upperCase" | "numbers" | "specialCharacters"}`)
          : rule.code;
    }
  }

  function stateText(state: RuleState): string {
    if (state === "met") return t("policy.met");
    if (state === "failed") return t("policy.notMet");
    if (state === "auth0") return t("passwordChecks.auth0");
    return t("passwordChecks.pending");
  }

  function line(key: string, state: RuleState, text: string, children?: ReactNode) {
    return (
      <li key={key} className={TONES[state]}>
        <span aria-hidden="true" className="inline-block w-4">
          {MARKS[state]}
        </span>
        {text}
        <span className="sr-only"> ({stateText(state)})</span>
        {children}
      </li>
    );
  }

  /** `isOptional`: an item of a satisfied "n of m" rule; missing it is not a failure. */
  function renderRule(rule: PolicyRuleCheck, isOptional = false) {
    const state: RuleState = isEmpty ? "pending" : rule.verified ? "met" : isOptional ? "pending" : "failed";
    return line(
      rule.code,
      state,
      label(rule),
      rule.items.length > 0 ? (
        <ul className="mt-0.5 ml-5 grid gap-x-4 gap-y-0.5 sm:grid-cols-2">
          {rule.items.map((item) => renderRule(item, rule.code === "containsAtLeast" && rule.verified))}
        </ul>
      ) : null,
    );
  }

  function extraText(rule: ExtraRule): string {
    switch (rule.code) {
      case "customDictionary":
        return t("passwordChecks.customDictionary", { count: rule.count });
      case "defaultDictionary":
        return t("passwordChecks.defaultDictionary");
      case "personalInfo":
        return t("passwordChecks.personalInfo");
      case "history":
        return t("passwordChecks.history", { size: rule.size });
    }
  }

  return (
    <div id={id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
      <p className="font-medium">
        {policy ? t("change.checklistTitle", { connection }) : t("change.unknownPolicyTitle")}
      </p>
      <ul className="mt-1 space-y-0.5">
        {evaluation.strength.rules.map((rule) => renderRule(rule))}
        {evaluation.extra.map((rule) => line(rule.code, rule.state, extraText(rule)))}
      </ul>
      {policy ? null : <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{t("policy.notes.unknownPolicy")}</p>}
    </div>
  );
}
