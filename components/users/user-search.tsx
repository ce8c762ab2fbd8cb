"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { usePathname, useSearchParams } from "next/navigation";
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { SEARCH_FIELDS } from "@/lib/auth0/lucene";
import {
  lastReachablePage,
  PAGE_SIZES,
  SEARCH_RESULT_CAP,
  type ConnectionType,
  type UserSearchResult,
} from "@/lib/auth0/types";
import { ApiError } from "@/lib/client/api-fetch";
import { userDetailQueryOptions, userSearchQueryOptions } from "@/lib/client/users-queries";
import { searchStateFromParams, searchStateToParams, type UserSearchState } from "@/lib/validations/users";
import { UserTable, UserTableSkeleton } from "./user-table";

export type ConnectionOption = { name: string; displayName: string; type: ConnectionType };
export type SearchErrorView = {
  status: number;
  code: string;
  message: string;
  retryAt: string | null;
  requestId?: string | null;
};

const SORT_OPTIONS = [
  { value: "name:1", key: "nameAsc" },
  { value: "name:-1", key: "nameDesc" },
  { value: "email:1", key: "emailAsc" },
  { value: "identities.connection:1", key: "connectionAsc" },
  { value: "logins_count:-1", key: "loginsDesc" },
  { value: "logins_count:1", key: "loginsAsc" },
  { value: "last_login:-1", key: "lastLoginDesc" },
  { value: "last_login:1", key: "lastLoginAsc" },
  { value: "user_id:1", key: "userIdAsc" },
  { value: "created_at:-1", key: "createdDesc" },
] as const;

const DEBOUNCE_MS = 250;

function sameState(a: UserSearchState, b: UserSearchState): boolean {
  return searchStateToParams(a).toString() === searchStateToParams(b).toString();
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * The users page's interactive part. The URL is the single source of truth for the search
 * (shareable, back/forward); updates go through the History API, which Next's router observes
 * without re-rendering the server page, so a keystroke costs one route-handler call, not two.
 * Everything renders on the server too, and the form works as a plain GET without JavaScript.
 */
export function UserSearch({
  initialState,
  initialResult,
  initialError,
  connections,
}: {
  initialState: UserSearchState;
  initialResult: UserSearchResult | null;
  initialError: SearchErrorView | null;
  connections: ConnectionOption[];
}) {
  const t = useTranslations("users");
  const format = useFormatter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const queryClient = useQueryClient();
  const state = useMemo(
    () => searchStateFromParams(new URLSearchParams(searchParams.toString())),
    [searchParams],
  );
  const isInitial = sameState(state, initialState);

  const [text, setText] = useState(state.q);
  const lastWrittenQ = useRef(state.q);
  const searchInput = useRef<HTMLInputElement>(null);
  const tableRegion = useRef<HTMLDivElement>(null);
  const ids = {
    search: useId(),
    field: useId(),
    connection: useId(),
    sort: useId(),
    perPage: useId(),
    hint: useId(),
  };

  const navigate = useCallback(
    (next: UserSearchState, mode: "push" | "replace") => {
      const query = searchStateToParams(next).toString();
      const url = query ? `${pathname}?${query}` : pathname;
      lastWrittenQ.current = next.q;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname],
  );

  // Back/forward (or a link) changed q: show it in the box.
  useEffect(() => {
    if (state.q !== lastWrittenQ.current) {
      lastWrittenQ.current = state.q;
      setText(state.q);
    }
  }, [state.q]);

  // Search as you type: the URL follows the box after a pause.
  useEffect(() => {
    if (text === state.q) return;
    const timer = setTimeout(() => navigate({ ...state, q: text, page: 1 }, "replace"), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, state, navigate]);

  // `/` focuses the search box from anywhere on the page, as in many consoles.
  useEffect(() => {
    function onKeyDown(event: globalThis.KeyboardEvent) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target))
        return;
      event.preventDefault();
      searchInput.current?.focus();
      searchInput.current?.select();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  const query = useQuery({
    ...userSearchQueryOptions(state),
    placeholderData: keepPreviousData,
    ...(isInitial && initialResult ? { initialData: initialResult } : {}),
    // The server already tried this exact search and failed: show that, refetch only on "retry".
    enabled: !(isInitial && initialError),
  });

  const error: SearchErrorView | null =
    query.error instanceof ApiError
      ? {
          status: query.error.status,
          code: query.error.code,
          message: query.error.message,
          retryAt: query.error.retryAt,
          requestId: query.error.requestId,
        }
      : query.error
        ? { status: 0, code: "network", message: query.error.message, retryAt: null }
        : isInitial && initialError && !query.data
          ? initialError
          : null;
  const result = error ? undefined : query.data;
  const isShowingPrevious = query.isPlaceholderData;

  // Prefetch the next page once this one is in, so "Next" is instant.
  useEffect(() => {
    if (!result || isShowingPrevious) return;
    const pages = Math.min(Math.ceil(result.total / state.perPage), lastReachablePage(state.perPage));
    if (state.page < pages)
      void queryClient.prefetchQuery(userSearchQueryOptions({ ...state, page: state.page + 1 }));
  }, [result, isShowingPrevious, state, queryClient]);

  const prefetchUser = useCallback(
    (userId: string) => void queryClient.prefetchQuery(userDetailQueryOptions(userId)),
    [queryClient],
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    navigate({ ...state, q: text, page: 1 }, "push");
  }

  function onSearchKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      const first = tableRegion.current?.querySelector<HTMLAnchorElement>("a[data-user-link]");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === "Escape" && text !== "") {
      event.preventDefault();
      setText("");
    }
  }

  const pageHref = (page: number) => {
    const query = searchStateToParams({ ...state, page }).toString();
    return query ? `${pathname}?${query}` : pathname;
  };

  const totalPages = result
    ? Math.max(1, Math.min(Math.ceil(result.total / state.perPage), lastReachablePage(state.perPage)))
    : 1;
  const from = result && result.users.length > 0 ? (state.page - 1) * state.perPage + 1 : 0;
  const to = result ? from + result.users.length - Math.min(1, result.users.length) : 0;

  function errorMessage(view: SearchErrorView): string {
    switch (view.code) {
      case "invalid_query":
      case "invalid_params":
      case "upstream_misconfigured":
        return t(`errors.${view.code}`, { message: view.message });
      case "invalid_paging":
        return t("pastCap", { lastPage: lastReachablePage(state.perPage) });
      case "rate_limited":
        return t("errors.rate_limited", {
          time: view.retryAt ? format.dateTime(new Date(view.retryAt), { timeStyle: "medium" }) : "—",
        });
      case "too_long":
      case "unbalanced_query":
      case "upstream_unavailable":
      case "upstream_timeout":
      case "upstream_untrusted":
      case "unauthenticated":
      case "forbidden":
      case "network":
        return t(`errors.${view.code}`);
      default:
        return t("errors.internal");
    }
  }

  return (
    <div className="space-y-4">
      <form
        role="search"
        action={pathname}
        method="get"
        onSubmit={onSubmit}
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-[10rem_1fr_auto] dark:border-slate-700 dark:bg-slate-900"
      >
        <div>
          <Label htmlFor={ids.field}>{t("search.fieldLabel")}</Label>
          <Select
            id={ids.field}
            name="field"
            className="mt-1 w-full"
            value={state.field}
            onChange={(event) =>
              navigate(
                { ...state, q: text, field: event.target.value as UserSearchState["field"], page: 1 },
                "push",
              )
            }
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
            ref={searchInput}
            id={ids.search}
            name="q"
            type="search"
            autoComplete="off"
            spellCheck={false}
            className="mt-1"
            value={text}
            placeholder={t(`search.placeholders.${state.field}`)}
            aria-describedby={ids.hint}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={onSearchKeyDown}
          />
          <p id={ids.hint} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            {state.field === "lucene" ? t("search.luceneHint") : t("search.hint")}
          </p>
        </div>
        <div className="flex items-start md:pt-6">
          <Button type="submit" variant="secondary">
            {t("search.submit")}
          </Button>
        </div>
        <div className="flex flex-wrap gap-3 md:col-span-3">
          <div>
            <Label htmlFor={ids.connection}>{t("search.connectionFilter")}</Label>
            <Select
              id={ids.connection}
              name="connection"
              className="mt-1"
              value={state.connection}
              onChange={(event) =>
                navigate({ ...state, q: text, connection: event.target.value, page: 1 }, "push")
              }
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
              onChange={(event) => navigate({ ...state, q: text, sort: event.target.value, page: 1 }, "push")}
            >
              <option value="">{t("search.sortDefault")}</option>
              {SORT_OPTIONS.map((sort) => (
                <option key={sort.value} value={sort.value}>
                  {t(`search.sortOptions.${sort.key}`)}
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
              onChange={(event) =>
                navigate(
                  {
                    ...state,
                    q: text,
                    perPage: Number(event.target.value) as UserSearchState["perPage"],
                    page: 1,
                  },
                  "push",
                )
              }
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

      <div aria-live="polite" className="min-h-5 text-sm text-slate-700 dark:text-slate-300">
        {result ? (
          <p>
            <span className="font-medium">{t("totals", { total: result.total })}</span>
            {result.users.length > 0 ? (
              <span>
                {" · "}
                {t(result.isCapped ? "cappedTotals" : "range", {
                  from: format.number(from),
                  to: format.number(to),
                  total: format.number(result.total),
                })}
              </span>
            ) : null}
            {isShowingPrevious ? (
              <span className="ml-2 text-slate-500 dark:text-slate-400">{t("updating")}</span>
            ) : null}
          </p>
        ) : query.isFetching ? (
          <p>{t("loading")}</p>
        ) : null}
      </div>

      {result?.isCapped ? (
        <div
          role="note"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <p className="font-semibold">{t("cap.title")}</p>
          <p className="mt-1">{t("cap.body")}</p>
        </div>
      ) : null}

      {error ? (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          <p className="font-semibold">{t("errors.title")}</p>
          <p className="mt-1 break-words">{errorMessage(error)}</p>
          {error.requestId ? (
            <p className="mt-1 font-mono text-xs">{t("errors.reference", { requestId: error.requestId })}</p>
          ) : null}
          <div className="mt-3 flex flex-wrap gap-2">
            {error.code === "invalid_paging" ? (
              <Button asChild variant="secondary" size="sm">
                <a
                  href={pageHref(lastReachablePage(state.perPage))}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate({ ...state, page: lastReachablePage(state.perPage) }, "push");
                  }}
                >
                  {t("pagination.page", {
                    page: lastReachablePage(state.perPage),
                    pages: lastReachablePage(state.perPage),
                  })}
                </a>
              </Button>
            ) : (
              <Button type="button" variant="secondary" size="sm" onClick={() => void query.refetch()}>
                {t("errors.retry")}
              </Button>
            )}
          </div>
        </div>
      ) : null}

      <div ref={tableRegion}>
        {result ? (
          result.users.length === 0 ? (
            <div className="rounded-lg border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
              <p className="font-semibold">{t("empty.title")}</p>
              <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
                {state.q.trim() === "" && state.connection === "" ? t("empty.bodyAll") : t("empty.body")}
              </p>
            </div>
          ) : (
            <UserTable users={result.users} isBusy={isShowingPrevious} onPrefetch={prefetchUser} />
          )
        ) : !error ? (
          <UserTableSkeleton rows={Math.min(state.perPage, 10)} />
        ) : null}
      </div>

      {result && result.total > state.perPage ? (
        <nav
          aria-label={t("pagination.label")}
          className="flex flex-wrap items-center justify-between gap-3 text-sm"
        >
          <p>{t("pagination.page", { page: state.page, pages: totalPages })}</p>
          <div className="flex gap-2">
            <PageLink
              label={t("pagination.previous")}
              href={pageHref(state.page - 1)}
              isDisabled={state.page <= 1}
              onNavigate={() => navigate({ ...state, page: state.page - 1 }, "push")}
            />
            <PageLink
              label={t("pagination.next")}
              href={pageHref(state.page + 1)}
              isDisabled={state.page >= totalPages}
              onNavigate={() => navigate({ ...state, page: state.page + 1 }, "push")}
            />
          </div>
        </nav>
      ) : null}
      {result && state.page * state.perPage >= SEARCH_RESULT_CAP && result.isCapped ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {t("pastCap", { lastPage: lastReachablePage(state.perPage) })}
        </p>
      ) : null}
    </div>
  );
}

function PageLink({
  label,
  href,
  isDisabled,
  onNavigate,
}: {
  label: string;
  href: string;
  isDisabled: boolean;
  onNavigate: () => void;
}) {
  if (isDisabled) {
    return (
      <Button type="button" variant="secondary" size="sm" disabled>
        {label}
      </Button>
    );
  }
  return (
    <Button asChild variant="secondary" size="sm">
      <a
        href={href}
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          onNavigate();
        }}
      >
        {label}
      </a>
    </Button>
  );
}
