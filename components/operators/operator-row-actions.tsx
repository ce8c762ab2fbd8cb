"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { useStepUp } from "@/components/security/use-step-up";
import {
  changeOperatorRoleAction,
  resetOperatorMfaAction,
  setOperatorDisabledAction,
  setOperatorMfaRequiredAction,
} from "@/lib/actions/operators";
import type { ActionResult } from "@/lib/actions/safe-action";
import { ROLES, type Role } from "@/lib/auth/permissions";

export function OperatorRowActions({
  operatorId,
  email,
  role,
  disabled,
  mfa,
}: {
  operatorId: string;
  email: string;
  role: Role;
  disabled: boolean;
  /** Whether the operator has MFA and whether an admin requires it for them. */
  mfa: { isEnrolled: boolean; isRequired: boolean };
}) {
  const t = useTranslations("operators");
  const ts = useTranslations("shell");
  const router = useRouter();
  const id = useId();
  const [message, setMessage] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const { needsStepUp, stepUpPanel } = useStepUp();
  const tm = useTranslations("security.operators");

  function run(action: () => Promise<ActionResult<unknown>>) {
    startTransition(async () => {
      const result = await action();
      // Operator management needs a recent authentication: ask in place, then run it again.
      if (needsStepUp(result, () => run(action))) return;
      setMessage(result.ok ? t("saved") : (result.error ?? null));
      router.refresh();
    });
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={`${id}-role`} className="sr-only">{t("changeRole", { email })}</label>
      <select
        id={`${id}-role`}
        defaultValue={role}
        disabled={isPending}
        onChange={(event) => run(() => changeOperatorRoleAction({ operatorId, role: event.target.value }))}
        className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-600 dark:bg-slate-900"
      >
        {ROLES.map((value) => (
          <option key={value} value={value}>{ts(`roles.${value}`)}</option>
        ))}
      </select>
      <Button
        type="button"
        size="sm"
        variant={disabled ? "secondary" : "danger"}
        disabled={isPending}
        onClick={() => {
          if (!disabled && !window.confirm(t("disableConfirm", { email }))) return;
          run(() => setOperatorDisabledAction({ operatorId, disabled: !disabled }));
        }}
      >
        {disabled ? t("enable") : t("disable")}
      </Button>
      <Button
        type="button"
        size="sm"
        variant="secondary"
        disabled={isPending || !mfa.isEnrolled}
        onClick={() => {
          if (!window.confirm(tm("resetConfirm", { email }))) return;
          run(() => resetOperatorMfaAction({ operatorId }));
        }}
      >
        {tm("reset")}
      </Button>
      <label className="flex items-center gap-1 text-xs">
        <input
          type="checkbox"
          defaultChecked={mfa.isRequired}
          disabled={isPending}
          onChange={(event) => {
            const required = event.target.checked;
            run(() => setOperatorMfaRequiredAction({ operatorId, required }));
          }}
        />
        {tm("require")}
      </label>
      <span aria-live="polite" className="text-xs text-slate-600 dark:text-slate-300">{message}</span>
      {stepUpPanel ? <div className="w-full">{stepUpPanel}</div> : null}
    </div>
  );
}
