import { queryOptions } from "@tanstack/react-query";
import type { UserProfile, UserSearchResult } from "@/lib/auth0/types";
import { searchStateToParams, type UserSearchState } from "@/lib/validations/users-state";
import { getJson, retryUnlessClientError } from "./api-fetch";

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
    retry: retryUnlessClientError,
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
