import { SEARCH_FIELDS, type SearchField } from "@/lib/auth0/lucene";
import { PAGE_SIZES, SORT_FIELDS, type PageSize, type UserSort } from "@/lib/auth0/types";

/**
 * Client-safe half of the users page's state (no zod, so it stays out of the browser bundle);
 * the strict schema for the route handler is in ./users.ts.
 *
 * The users page's state, shared by the URL (/users?…), the route handler (GET /api/users?…)
 * and the client. One serialisation both ways, so a shared link and an API call mean the same.
 */
export type UserSearchState = {
  q: string;
  field: SearchField;
  connection: string;
  /** `field:1` / `field:-1`, or "" for Auth0's default order. */
  sort: string;
  /** 1-based. */
  page: number;
  perPage: PageSize;
};

export const DEFAULT_SEARCH_STATE: UserSearchState = {
  q: "",
  field: "any",
  connection: "",
  sort: "",
  page: 1,
  perPage: 25,
};

const SORT_PATTERN = new RegExp(
  `^(${SORT_FIELDS.map((field) => field.replace(".", "\\.")).join("|")}):(1|-1)$`,
);

/**
 * The orders the users table offers, in menu order: the one definition the sort menu renders
 * (keys into messages' `users.search.sortOptions`). Each is a UserSort, so a column that is not
 * in SORT_FIELDS does not type-check. Client-safe.
 */
export const SORT_OPTIONS = [
  { sort: { field: "name", direction: 1 }, key: "nameAsc" },
  { sort: { field: "name", direction: -1 }, key: "nameDesc" },
  { sort: { field: "email", direction: 1 }, key: "emailAsc" },
  { sort: { field: "email", direction: -1 }, key: "emailDesc" },
  { sort: { field: "identities.connection", direction: 1 }, key: "connectionAsc" },
  { sort: { field: "identities.connection", direction: -1 }, key: "connectionDesc" },
  { sort: { field: "logins_count", direction: -1 }, key: "loginsDesc" },
  { sort: { field: "logins_count", direction: 1 }, key: "loginsAsc" },
  { sort: { field: "last_login", direction: -1 }, key: "lastLoginDesc" },
  { sort: { field: "last_login", direction: 1 }, key: "lastLoginAsc" },
  { sort: { field: "user_id", direction: 1 }, key: "userIdAsc" },
  { sort: { field: "created_at", direction: -1 }, key: "createdDesc" },
] as const satisfies readonly { sort: UserSort; key: string }[];

/** A sort as the URL and Auth0 write it: `field:1` or `field:-1`. */
export function formatSort(sort: UserSort): string {
  return `${sort.field}:${sort.direction}`;
}

export function parseSort(sort: string): UserSort | undefined {
  const match = SORT_PATTERN.exec(sort);
  if (!match?.[1]) return undefined;
  return { field: match[1] as UserSort["field"], direction: match[2] === "1" ? 1 : -1 };
}

/** Reads URL search params (first value of each) into a plain record. */
export function firstValues(
  source: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (source instanceof URLSearchParams) {
    for (const key of source.keys()) out[key] ??= source.get(key) ?? "";
    return out;
  }
  for (const [key, value] of Object.entries(source)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = first;
  }
  return out;
}

/**
 * Lenient parse for the page: a hand-edited URL with a bad value falls back to the default for
 * that value instead of failing the whole page. Over-long text is kept so the page can say why.
 */
export function searchStateFromParams(
  source: URLSearchParams | Record<string, string | string[] | undefined>,
): UserSearchState {
  const record = firstValues(source);
  const field = (SEARCH_FIELDS as readonly string[]).includes(record.field ?? "")
    ? (record.field as SearchField)
    : DEFAULT_SEARCH_STATE.field;
  const perPage = Number(record.perPage);
  const page = Number(record.page);
  const sort = record.sort && parseSort(record.sort) ? record.sort : "";
  return {
    q: record.q ?? "",
    field,
    connection: (record.connection ?? "").slice(0, 128),
    sort,
    page: Number.isInteger(page) && page >= 1 && page <= 1_000 ? page : 1,
    perPage: (PAGE_SIZES as readonly number[]).includes(perPage)
      ? (perPage as PageSize)
      : DEFAULT_SEARCH_STATE.perPage,
  };
}

/** The URL query for a state, omitting defaults so links stay short. */
export function searchStateToParams(state: UserSearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q !== "") params.set("q", state.q);
  if (state.field !== DEFAULT_SEARCH_STATE.field) params.set("field", state.field);
  if (state.connection !== "") params.set("connection", state.connection);
  if (state.sort !== "") params.set("sort", state.sort);
  if (state.page !== 1) params.set("page", String(state.page));
  if (state.perPage !== DEFAULT_SEARCH_STATE.perPage) params.set("perPage", String(state.perPage));
  return params;
}
