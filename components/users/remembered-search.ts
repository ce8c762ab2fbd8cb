/**
 * The users list's last search (its URL query), remembered for this tab so "← Back to users"
 * returns to the same search, sort and page. sessionStorage: per tab, gone with it, and never
 * sent anywhere. Only the query string the URL already showed is kept.
 */
const KEY = "passdesk.users.search";

export function rememberUserSearch(query: string): void {
  try {
    if (query === "") sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, query);
  } catch {
    // Storage may be disabled; the back link then simply opens the plain list.
  }
}

export function readRememberedUserSearch(): string {
  try {
    return sessionStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

/** The users list URL for a remembered query. */
export function usersHref(query: string): string {
  return query === "" ? "/users" : `/users?${query}`;
}
