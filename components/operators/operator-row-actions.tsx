"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { changeOperatorRoleAction, setOperatorDisabledAction } from "@/lib/actions/operators";
import { ROLES, type Role } from "@/lib/auth/permissions";

export function OperatorRowActions({ operatorId, email, role, disabled }: { operatorId: string; email: string; role: Role; disabled: boolean }) {
  const t = useTranslations("operators");
  const ts = useTranslations("shell");
  const router = useRouter();
  const id = useId();
  const [message, setMessage] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  function run(action: () => Promise<{ ok: boolean; error?: string }>) {
    startTransition(async () => {
      const result = await action();
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
      <span aria-live="polite" className="text-xs text-slate-600 dark:text-slate-300">{message}</span>
    </div>
  );
}
