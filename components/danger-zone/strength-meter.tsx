"use client";

import { useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import { loadStrengthEstimator, type StrengthEstimator } from "@/lib/password-policy/strength";
import { cn } from "@/lib/utils";

const COLORS = ["bg-red-600", "bg-red-500", "bg-amber-500", "bg-green-600", "bg-green-700"] as const;

/** zxcvbn strength (advisory: Auth0's policy decides what is accepted). */
export function StrengthMeter({ password, userInputs }: { password: string; userInputs: readonly string[] }) {
  const t = useTranslations("dangerZone.change");
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
    () => (estimator ? estimator(password, userInputs) : null),
    [estimator, password, userInputs],
  );
  if (password === "" || score === null) return null;
  return (
    <div className="space-y-1">
      <div className="flex gap-1" aria-hidden="true">
        {[0, 1, 2, 3, 4].map((step) => (
          <span
            key={step}
            className={cn(
              "h-1.5 flex-1 rounded",
              step <= score ? COLORS[score] : "bg-slate-200 dark:bg-slate-700",
            )}
          />
        ))}
      </div>
      <p className="text-xs text-slate-700 dark:text-slate-300">
        {t("strengthLabel")}: {t(`strength.${score}`)}
      </p>
    </div>
  );
}
