import { queryOptions } from "@tanstack/react-query";
import type { UserProfile, UserSearchResult } from "@/lib/auth0/types";
import { searchStateToParams, type UserSearchState } from "@/lib/validations/users";

/** An error answer of /api/users*, with the stable code the UI translates. */
export class UsersApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAt: string | null,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = "UsersApiError";
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; retryAt?: unknown; requestId?: unknown } };

async function getJson<T>(url: string, signal: AbortSignal | undefined): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new UsersApiError(0, "network", "The network request failed.", null, null);
  }
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  const detail = body.error ?? {};
  throw new UsersApiError(
    response.status,
    typeof detail.code === "string" ? detail.code : "internal",
    typeof detail.message === "string" ? detail.message : response.statusText,
    typeof detail.retryAt === "string" ? detail.retryAt : null,
    typeof detail.requestId === "string" ? detail.requestId : null,
  );
}

/** Query-key factory for everything users; whoever renders users data invalidates through it. */
export const userKeys = {
  all: ["users"] as const,
  searches: () => [...userKeys.all, "search"] as const,
  search: (state: UserSearchState) => [...userKeys.searches(), state] as const,
  details: () => [...userKeys.all, "detail"] as const,
  detail: (userId: string) => [...userKeys.details(), userId] as const,
};

export function userSearchQueryOptions(state: UserSearchState) {
  return queryOptions({
    queryKey: userKeys.search(state),
    queryFn: ({ signal }) =>
      getJson<UserSearchResult>(`/api/users?${searchStateToParams(state).toString()}`, signal),
    // A 400 (bad query) or 429 will not get better by asking again at once.
    retry: (failureCount, error) =>
      !(error instanceof UsersApiError && error.status >= 400 && error.status < 500) && failureCount < 1,
  });
}

export function userDetailQueryOptions(userId: string) {
  return queryOptions({
    queryKey: userKeys.detail(userId),
    queryFn: ({ signal }) => getJson<UserProfile>(`/api/users/${encodeURIComponent(userId)}`, signal),
    staleTime: 30_000,
    retry: false,
  });
}
