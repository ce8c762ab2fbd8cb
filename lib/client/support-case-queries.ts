import { infiniteQueryOptions } from "@tanstack/react-query";
import type { TimelinePage } from "@/lib/support-case/timeline";
import { getJson, retryUnlessClientError } from "./api-fetch";

/** Query keys of the profile's support-case panels; whoever changes the user invalidates `all`. */
export const supportCaseKeys = {
  all: ["support-case"] as const,
  timeline: (userId: string) => [...supportCaseKeys.all, "timeline", userId] as const,
};

export function timelineQueryOptions(userId: string, firstPage: TimelinePage) {
  return infiniteQueryOptions({
    queryKey: supportCaseKeys.timeline(userId),
    queryFn: ({ pageParam, signal }) =>
      getJson<TimelinePage>(
        `/api/users/${encodeURIComponent(userId)}/timeline?${new URLSearchParams(pageParam ? { cursor: pageParam } : {}).toString()}`,
        signal,
      ),
    initialPageParam: "",
    getNextPageParam: (last: TimelinePage) => last.nextCursor ?? undefined,
    // The server rendered the first page; the browser only fetches older ones.
    initialData: { pages: [firstPage], pageParams: [""] },
    staleTime: Number.POSITIVE_INFINITY,
    retry: retryUnlessClientError,
  });
}
