"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { lastReachablePage, SEARCH_RESULT_CAP, type UserSearchResult } from "@/lib/auth0/types";
import { ApiError } from "@/lib/client/api-fetch";
import { userDetailQueryOptions, userSearchQueryOptions } from "@/lib/client/users-queries";
import { searchStateToParams, type UserSearchState } from "@/lib/validations/users-state";
import { SearchErrorAlert, type SearchErrorView } from "./search-error";
import { UserSearchForm, type ConnectionOption } from "./search-form";
import { rememberUserSearch } from "./remembered-search";
import { PageLink, SearchPagination } from "./search-pagination";
import { useUserSearchUrl } from "./use-user-search-url";
import { UserTable, UserTableSkeleton } from "./user-table";

export type { ConnectionOption } from "./search-form";
export type { SearchErrorView } from "./search-error";

const DEBOUNCE_MS = 250;

function sameState(a: UserSearchState, b: UserSearchState): boolean {
  return searchStateToParams(a).toString() === searchStateToParams(b).toString();
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function toErrorView(error: Error): SearchErrorView {
  return error instanceof ApiError
    ? {
        status: error.status,
        code: error.code,
        message: error.message,
        retryAt: error.retryAt,
        requestId: error.requestId,
      }
    : { status: 0, code: "network", message: error.message, retryAt: null };
}

/**
 * The users page's interactive part: the search form, the results and paging. The state lives
 * in the URL (useUserSearchUrl); everything renders on the server too, and the form works as a
 * plain GET without JavaScript.
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
  const queryClient = useQueryClient();
  const { state, navigate: writeUrl } = useUserSearchUrl();
  const isInitial = sameState(state, initialState);

  const [text, setText] = useState(state.q);
  const lastWrittenQ = useRef(state.q);
  const searchInput = useRef<HTMLInputElement>(null);
  const tableRegion = useRef<HTMLDivElement>(null);

  const navigate = useCallback(
    (next: UserSearchState, mode: "push" | "replace") => {
      lastWrittenQ.current = next.q;
      writeUrl(next, mode);
    },
    [writeUrl],
  );

  // "← Back to users" on a profile returns to this search.
  const currentQuery = searchStateToParams(state).toString();
  useEffect(() => rememberUserSearch(currentQuery), [currentQuery]);

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

  const error: SearchErrorView | null = query.error
    ? toErrorView(query.error)
    : isInitial && initialError && !query.data
      ? initialError
      : null;
  const result = error ? undefined : query.data;
  const isShowingPrevious = query.isPlaceholderData;
  const lastPage = lastReachablePage(state.perPage);

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
  const goToPage = (page: number) => navigate({ ...state, page }, "push");

  const totalPages = result
    ? Math.max(1, Math.min(Math.ceil(result.total / state.perPage), lastPage))
    : 1;
  const from = result && result.users.length > 0 ? (state.page - 1) * state.perPage + 1 : 0;
  const to = result ? from + result.users.length - Math.min(1, result.users.length) : 0;

  return (
    <div className="space-y-4">
      <UserSearchForm
        action={pathname}
        state={state}
        text={text}
        connections={connections}
        searchInputRef={searchInput}
        onTextChange={setText}
        onTextKeyDown={onSearchKeyDown}
        onSubmit={onSubmit}
        onChange={(change) => navigate({ ...state, q: text, ...change, page: 1 }, "push")}
      />

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
        <SearchErrorAlert
          error={error}
          perPage={state.perPage}
          action={
            error.code === "invalid_paging" ? (
              <PageLink
                label={t("pagination.page", { page: lastPage, pages: lastPage })}
                href={pageHref(lastPage)}
                onNavigate={() => goToPage(lastPage)}
              />
            ) : (
              <Button type="button" variant="secondary" size="sm" onClick={() => void query.refetch()}>
                {t("errors.retry")}
              </Button>
            )
          }
        />
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
            <UserTable
              users={result.users}
              isBusy={isShowingPrevious}
              onPrefetch={prefetchUser}
              sort={{
                value: state.sort,
                onChange: (sort) => navigate({ ...state, q: text, sort, page: 1 }, "push"),
              }}
            />
          )
        ) : !error ? (
          <UserTableSkeleton rows={Math.min(state.perPage, 10)} />
        ) : null}
      </div>

      {result && result.total > state.perPage ? (
        <SearchPagination page={state.page} pages={totalPages} hrefFor={pageHref} onNavigate={goToPage} />
      ) : null}
      {result && state.page * state.perPage >= SEARCH_RESULT_CAP && result.isCapped ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("pastCap", { lastPage })}</p>
      ) : null}
    </div>
  );
}
