"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import type { ScopedOperatorOption } from "@/lib/audit-view/service";
import {
  AUDIT_OUTCOME_FILTERS,
  AUDIT_VIEWS,
  DEFAULT_AUDIT_STATE,
  auditStateFromParams,
  type AuditSearchState,
} from "@/lib/validations/audit";

const SELECT_CLASS =
  "h-10 w-full rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";

/**
 * The filter form. A plain GET form (works before hydration: it submits to /audit?…); once
 * hydrated, submitting updates the URL in place. Inputs are uncontrolled and re-mounted when
 * the URL changes (the parent keys them), so back/forward always shows the applied filters.
 */
export function AuditFilters({
  state,
  scopeOptions,
  onApply,
}: {
  state: AuditSearchState;
  /** Operators with a scope ("targets within the scope of"); null hides the filter. */
  scopeOptions: ScopedOperatorOption[] | null;
  onApply: (next: AuditSearchState) => void;
}) {
  const t = useTranslations("audit");
  const id = useId();
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const raw: Record<string, string> = {};
    for (const [key, value] of form.entries()) if (typeof value === "string") raw[key] = value;
    if (raw.from && raw.to && raw.to < raw.from) {
      setError(t("filters.toBeforeFrom"));
      return;
    }
    setError(null);
    // The same lenient parse as the server page: what is applied is exactly what the URL says.
    onApply({ ...auditStateFromParams(raw), cursor: "" });
  }

  function onClear() {
    setError(null);
    onApply({ ...DEFAULT_AUDIT_STATE, view: state.view });
  }

  return (
    <form
      role="search"
      aria-label={t("filters.legend")}
      method="get"
      onSubmit={onSubmit}
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div className="space-y-1">
          <Label htmlFor={`${id}-actor`}>{t("filters.actor")}</Label>
          <Input
            id={`${id}-actor`}
            name="actor"
            type="search"
            defaultValue={state.actor}
            placeholder={t("filters.actorHint")}
            autoComplete="off"
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor={`${id}-target`}>{t("filters.target")}</Label>
          <Input
            id={`${id}-target`}
            name="target"
            type="search"
            defaultValue={state.target}
            placeholder={t("filters.targetHint")}
            autoComplete="off"
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor={`${id}-action`}>{t("filters.action")}</Label>
          <select id={`${id}-action`} name="action" defaultValue={state.action} className={SELECT_CLASS}>
            <option value="">{t("filters.anyAction")}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`actions.${action}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <Label htmlFor={`${id}-outcome`}>{t("filters.outcome")}</Label>
          <select id={`${id}-outcome`} name="outcome" defaultValue={state.outcome} className={SELECT_CLASS}>
            <option value="">{t("filters.anyOutcome")}</option>
            {AUDIT_OUTCOME_FILTERS.map((outcome) => (
              <option key={outcome} value={outcome}>
                {t(`outcomeFilters.${outcome}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <Label htmlFor={`${id}-from`}>{t("filters.from")}</Label>
          <Input
            id={`${id}-from`}
            name="from"
            type="date"
            defaultValue={state.from}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor={`${id}-to`}>{t("filters.to")}</Label>
          <Input
            id={`${id}-to`}
            name="to"
            type="date"
            defaultValue={state.to}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        {scopeOptions ? (
          <div className="space-y-1 sm:col-span-2">
            <Label htmlFor={`${id}-scope-of`}>{t("filters.scopeOf")}</Label>
            <select
              id={`${id}-scope-of`}
              name="scopeOf"
              defaultValue={state.scopeOf}
              aria-describedby={`${id}-scope-of-hint`}
              className={SELECT_CLASS}
            >
              <option value="">{t("filters.anyScope")}</option>
              {scopeOptions.map((option) => (
                <option key={option.id} value={option.id}>
                  {t("filters.scopeOption", {
                    name: option.name,
                    email: option.email,
                    scope: option.scope.invalid ? t("filters.scopeUnreadable") : option.scope.summary,
                  })}
                </option>
              ))}
              {/* A link naming an operator not offered: kept selected, so the page's refusal is visible. */}
              {state.scopeOf !== "" && !scopeOptions.some((option) => option.id === state.scopeOf) ? (
                <option value={state.scopeOf}>{t("filters.scopeUnknown")}</option>
              ) : null}
            </select>
            <p id={`${id}-scope-of-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("filters.scopeOfHint")}
            </p>
          </div>
        ) : null}
        <div className="space-y-1 sm:col-span-2">
          <Label htmlFor={`${id}-view`}>{t("filters.view")}</Label>
          <select id={`${id}-view`} name="view" defaultValue={state.view} className={SELECT_CLASS}>
            {AUDIT_VIEWS.map((view) => (
              <option key={view} value={view}>
                {t(`views.${view}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button type="submit">{t("filters.apply")}</Button>
        <Button type="button" variant="secondary" onClick={onClear}>
          {t("filters.clear")}
        </Button>
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      </div>
    </form>
  );
}
