"use client";

import { useState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/safe-action";
import { StepUpPanel } from "./step-up-panel";

/**
 * For any control whose action may answer `step_up_required`: `needsStepUp(result, retry)` shows
 * the step-up panel in place (returns true), and once the operator has confirmed who they are,
 * `retry` runs again — with the caller's form state untouched.
 */
export function useStepUp(): { needsStepUp: <T>(result: ActionResult<T>, retry: () => void) => boolean; stepUpPanel: ReactNode } {
  const [retry, setRetry] = useState<(() => void) | null>(null);
  function needsStepUp<T>(result: ActionResult<T>, again: () => void): boolean {
    if (result.ok || result.code !== "step_up_required") return false;
    setRetry(() => again);
    return true;
  }
  const stepUpPanel = retry ? (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950">
      <StepUpPanel
        onConfirmed={() => {
          setRetry(null);
          retry();
        }}
        onCancel={() => setRetry(null)}
      />
    </div>
  ) : null;
  return { needsStepUp, stepUpPanel };
}
