"use client";

import { useTranslations } from "next-intl";
import type { UseFormRegisterReturn } from "react-hook-form";

/**
 * The Change password dialog's "Also sign the user out everywhere" checkbox (checked by default;
 * render it only for an operator with sessions:revoke — the server checks again).
 */
export function SignOutEverywhereOption({ id, registration }: { id: string; registration: UseFormRegisterReturn }) {
  const t = useTranslations("account.signOut");
  return (
    <div className="flex items-start gap-2 text-sm">
      <input id={id} type="checkbox" {...registration} className="mt-0.5 h-4 w-4" aria-describedby={`${id}-hint`} />
      <div>
        <label htmlFor={id} className="font-medium">
          {t("option")}
        </label>
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {t("optionHint")}
        </p>
      </div>
    </div>
  );
}

/** What the sign-out after a password change did, for the dialog's result step. */
export type SignOutOutcome =
  | { ok: true; sessionsEnded: number; refreshTokensRevoked: number }
  | { ok: false; error: string }
  | null
  | undefined;

export function SignOutOutcomeText({ outcome }: { outcome: SignOutOutcome }) {
  const t = useTranslations("account.signOut");
  if (!outcome) return null;
  return (
    <p className="text-sm">
      {outcome.ok
        ? t("success", { sessions: outcome.sessionsEnded, tokens: outcome.refreshTokensRevoked })
        : t("optionFailed", { error: outcome.error })}
    </p>
  );
}
