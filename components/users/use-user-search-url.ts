"use client";

import { createParser, parseAsNumberLiteral, parseAsString, parseAsStringLiteral, useQueryStates } from "nuqs";
import { useCallback } from "react";
import { SEARCH_FIELDS } from "@/lib/auth0/lucene";
import { PAGE_SIZES } from "@/lib/auth0/types";
import { DEFAULT_SEARCH_STATE, parseSort, type UserSearchState } from "@/lib/validations/users-state";

/**
 * The users search state in the URL, read as leniently as the server page does
 * (searchStateFromParams): a bad value falls back to its default instead of failing the page.
 */
const userSearchParsers = {
  q: parseAsString.withDefault(DEFAULT_SEARCH_STATE.q),
  field: parseAsStringLiteral(SEARCH_FIELDS).withDefault(DEFAULT_SEARCH_STATE.field),
  connection: createParser({ parse: (value) => value.slice(0, 128), serialize: (value: string) => value }).withDefault(
    DEFAULT_SEARCH_STATE.connection,
  ),
  sort: createParser({
    parse: (value) => (parseSort(value) ? value : null),
    serialize: (value: string) => value,
  }).withDefault(DEFAULT_SEARCH_STATE.sort),
  page: createParser({
    parse: (value) => {
      const page = Number(value);
      return Number.isInteger(page) && page >= 1 && page <= 1_000 ? page : null;
    },
    serialize: (value: number) => String(value),
  }).withDefault(DEFAULT_SEARCH_STATE.page),
  perPage: parseAsNumberLiteral(PAGE_SIZES).withDefault(DEFAULT_SEARCH_STATE.perPage),
};

/**
 * The URL is the single source of truth for the search (shareable, back/forward). Updates are
 * shallow (History API, which Next's router observes without re-rendering the server page), so
 * a keystroke costs one route-handler call, not two; defaults are left out of the URL.
 */
export function useUserSearchUrl() {
  const [state, setState] = useQueryStates(userSearchParsers, { shallow: true, clearOnDefault: true });
  const navigate = useCallback(
    (next: UserSearchState, mode: "push" | "replace") => void setState(next, { history: mode }),
    [setState],
  );
  return { state: state satisfies UserSearchState, navigate };
}
