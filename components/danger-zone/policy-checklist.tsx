"use client";

import { useTranslations } from "next-intl";
import type { PasswordPolicy } from "@/lib/auth0/types";
import {
  checkPasswordPolicy,
  FALLBACK_POLICY,
  policyNotes,
  type PolicyRuleCheck,
} from "@/lib/password-policy/policy";

const ITEM_CODES = new Set(["lowerCase", "upperCase", "numbers", "specialCharacters"]);

/** The live checklist of the connection's password policy, from Auth0's own policy package. */
export function PolicyChecklist({
  id,
  policy,
  connection,
  password,
}: {
  id: string;
  policy: PasswordPolicy | null;
  connection: string;
  password: string;
}) {
  const t = useTranslations("dangerZone");
  const check = checkPasswordPolicy(policy ?? FALLBACK_POLICY, password);

  function label(rule: PolicyRuleCheck): string {
    const [first, second] = rule.values;
    switch (rule.code) {
      case "lengthAtLeast":
        return t("policy.lengthAtLeast", { count: Number(first ?? 0) });
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

  function renderRule(rule: PolicyRuleCheck) {
    return (
      <li
        key={rule.code}
        className={
          rule.verified ? "text-green-800 dark:text-green-300" : "text-slate-700 dark:text-slate-300"
        }
      >
        <span aria-hidden="true">{rule.verified ? "✓ " : "○ "}</span>
        {label(rule)}
        <span className="sr-only"> ({rule.verified ? t("policy.met") : t("policy.notMet")})</span>
        {rule.items.length > 0 ? (
          <ul className="mt-1 ml-5 space-y-0.5">{rule.items.map(renderRule)}</ul>
        ) : null}
      </li>
    );
  }

  return (
    <div id={id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
      <p className="font-medium">
        {policy ? t("change.checklistTitle", { connection }) : t("change.unknownPolicyTitle")}
      </p>
      <ul className="mt-2 space-y-1">{check.rules.map(renderRule)}</ul>
      {policyNotes(policy).length > 0 ? (
        <ul className="mt-2 list-disc space-y-0.5 pl-5 text-xs text-slate-600 dark:text-slate-400">
          {policyNotes(policy).map((note) => (
            <li key={note}>
              {note === "history"
                ? t("policy.notes.history", { size: policy?.history.size ?? 0 })
                : t(`policy.notes.${note}`)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
