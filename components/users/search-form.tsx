"use client";

import { useTranslations } from "next-intl";
import { useId, type FormEvent, type KeyboardEvent, type Ref } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { SEARCH_FIELDS } from "@/lib/auth0/lucene";
import { PAGE_SIZES, type ConnectionType } from "@/lib/auth0/types";
import { formatSort, SORT_OPTIONS, type UserSearchState } from "@/lib/validations/users-state";

export type ConnectionOption = { name: string; displayName: string; type: ConnectionType };

/**
 * The search form: field, text, connection filter, sort and page size. A plain GET form, so it
 * works without JavaScript; with it, each change calls `onChange` with the next state (page 1).
 */
export function UserSearchForm({
  action,
  state,
  text,
  connections,
  searchInputRef,
  onTextChange,
  onTextKeyDown,
  onSubmit,
  onChange,
}: {
  action: string;
  state: UserSearchState;
  text: string;
  connections: readonly ConnectionOption[];
  searchInputRef: Ref<HTMLInputElement>;
  onTextChange: (text: string) => void;
  onTextKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onChange: (change: Partial<UserSearchState>) => void;
}) {
  const t = useTranslations("users");
  const ids = {
    search: useId(),
    field: useId(),
    connection: useId(),
    sort: useId(),
    perPage: useId(),
    hint: useId(),
  };
  return (
    <form
      role="search"
      action={action}
      method="get"
      onSubmit={onSubmit}
      className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-[10rem_1fr_auto] dark:border-slate-700 dark:bg-slate-900"
    >
      <div>
        <Label htmlFor={ids.field}>{t("search.fieldLabel")}</Label>
        <Select
          id={ids.field}
          name="field"
          className="mt-1 w-full"
          value={state.field}
          onChange={(event) => onChange({ field: event.target.value as UserSearchState["field"] })}
        >
          {SEARCH_FIELDS.map((field) => (
            <option key={field} value={field}>
              {t(`search.fields.${field}`)}
            </option>
          ))}
        </Select>
      </div>
      <div>
        <Label htmlFor={ids.search}>{t("search.label")}</Label>
        <Input
          ref={searchInputRef}
          id={ids.search}
          name="q"
          type="search"
          autoComplete="off"
          spellCheck={false}
          className="mt-1"
          value={text}
          placeholder={t(`search.placeholders.${state.field}`)}
          aria-describedby={ids.hint}
          onChange={(event) => onTextChange(event.target.value)}
          onKeyDown={onTextKeyDown}
        />
        <p id={ids.hint} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {t(state.field === "lucene" ? "search.luceneHint" : state.field === "any" ? "search.anyHint" : "search.hint")}
        </p>
      </div>
      <div className="flex items-start md:pt-6">
        <Button type="submit" variant="secondary">
          {t("search.submit")}
        </Button>
      </div>
      <div className="flex flex-wrap gap-3 md:col-span-3">
        <div className="max-w-full min-w-0">
          <Label htmlFor={ids.connection}>{t("search.connectionFilter")}</Label>
          <Select
            id={ids.connection}
            name="connection"
            className="mt-1 max-w-full"
            value={state.connection}
            onChange={(event) => onChange({ connection: event.target.value })}
          >
            <option value="">{t("search.allConnections")}</option>
            {connections.map((connection) => (
              <option key={connection.name} value={connection.name}>
                {connection.displayName === connection.name
                  ? connection.name
                  : `${connection.displayName} (${connection.name})`}{" "}
                · {t(`connectionTypes.${connection.type}`)}
              </option>
            ))}
            {state.connection && !connections.some((connection) => connection.name === state.connection) ? (
              <option value={state.connection}>{state.connection}</option>
            ) : null}
          </Select>
        </div>
        <div>
          <Label htmlFor={ids.sort}>{t("search.sort")}</Label>
          <Select
            id={ids.sort}
            name="sort"
            className="mt-1"
            value={state.sort}
            onChange={(event) => onChange({ sort: event.target.value })}
          >
            <option value="">{t("search.sortDefault")}</option>
            {SORT_OPTIONS.map((option) => (
              <option key={option.key} value={formatSort(option.sort)}>
                {t(`search.sortOptions.${option.key}`)}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor={ids.perPage}>{t("search.perPage")}</Label>
          <Select
            id={ids.perPage}
            name="perPage"
            className="mt-1"
            value={String(state.perPage)}
            onChange={(event) => onChange({ perPage: Number(event.target.value) as UserSearchState["perPage"] })}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </Select>
        </div>
      </div>
    </form>
  );
}
