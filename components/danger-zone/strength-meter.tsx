"use client";

import { useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import type { ForeseenRefusal } from "@/lib/password-policy/policy";
import { loadStrengthEstimator, type StrengthEstimator } from "@/lib/password-policy/strength";
import { meterReading } from "@/lib/password-policy/strength-reading";
import { cn } from "@/lib/utils";

const COLORS = ["bg-red-600", "bg-red-500", "bg-amber-500", "bg-green-600", "bg-green-700"] as const;

/**
 * zxcvbn strength, consistent with the policy: a password the policy, the connection's dictionary
 * or the personal-info rule refuses reads "Refused", never "Very strong"; one that meets every
 * rule but is easy to guess says why the two disagree (the rules only count characters).
 */
export function StrengthMeter({
  password,
  userInputs,
  refusal,
}: {
  password: string;
  userInputs: readonly string[];
  /** The first rule known to refuse the password (from evaluatePassword), or null. */
  refusal: ForeseenRefusal | null;
}) {
  const t = useTranslations("dangerZone");
  const [estimator, setEstimator] = useState<StrengthEstimator | null>(null);
  const needsEstimator = password !== "" && estimator === null;
  useEffect(() => {
    if (!needsEstimator) return;
    let isCurrent = true;
    loadStrengthEstimator().then(
      (loaded) => {
        if (isCurrent) setEstimator(() => loaded);
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [needsEstimator]);
  const score = useMemo(
    () => (estimator && password !== "" ? estimator(password, userInputs) : null),
    [estimator, password, userInputs],
  );
  const reading = meterReading(score, refusal);
  if (password === "" || reading === null) return null;
  return (
    <div className="space-y-1">
      <div className="flex gap-1" aria-hidden="true">
        {[0, 1, 2, 3, 4].map((step) => (
          <span
            key={step}
            className={cn(
              "h-1.5 flex-1 rounded",
              step <= reading.bars ? COLORS[reading.bars] : "bg-slate-200 dark:bg-slate-700",
            )}
          />
        ))}
      </div>
      <p className="text-xs text-slate-700 dark:text-slate-300">
        {t("change.strengthLabel")}:{" "}
        {reading.kind === "refused" ? t("passwordChecks.refusedScore") : t(`change.strength.${reading.score}`)}
      </p>
      {reading.kind === "refused" ? (
        <p className="text-xs text-red-700 dark:text-red-400">
          {t("passwordChecks.refused", { reason: t(`passwordChecks.reasons.${reading.refusal}`) })}
        </p>
      ) : null}
      {reading.kind === "weakButValid" ? (
        <p className="text-xs text-amber-800 dark:text-amber-300">{t("passwordChecks.weakButValid")}</p>
      ) : null}
    </div>
  );
}
