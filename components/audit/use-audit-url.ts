"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { auditStateFromParams, auditStateToParams, type AuditSearchState } from "@/lib/validations/audit";

export const EVENT_PARAM = "event";
const SEQUENCE_PATTERN = /^[1-9]\d{0,17}$/;

export type AuditUrlState = { state: AuditSearchState; event: string | null };

/** The href for a state (and optionally an open event), relative to the current page. */
export function auditHref(pathname: string, state: AuditSearchState, event: string | null = null): string {
  const params = auditStateToParams(state);
  if (event) params.set(EVENT_PARAM, event);
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/**
 * The audit page's state lives in the URL (shareable, back/forward work). Changes use the
 * History API, which Next's router observes, so paging and filtering re-render only the client
 * table (TanStack Query fetches the page) instead of a full server round trip of the page.
 */
export function useAuditUrl() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const current = useMemo<AuditUrlState>(() => {
    const event = searchParams.get(EVENT_PARAM);
    return {
      state: auditStateFromParams(searchParams),
      event: event && SEQUENCE_PATTERN.test(event) ? event : null,
    };
  }, [searchParams]);

  const navigate = useCallback(
    (next: AuditUrlState) => {
      window.history.pushState(null, "", auditHref(pathname, next.state, next.event));
    },
    [pathname],
  );

  return { ...current, pathname, navigate };
}

/** Lets ordinary clicks use client navigation while ctrl/cmd/middle-click still open a new tab. */
export function isPlainLeftClick(event: {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
