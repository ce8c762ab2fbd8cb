"use client";

import { usePathname } from "next/navigation";
import { createParser, parseAsStringLiteral, useQueryStates } from "nuqs";
import { useCallback, useMemo } from "react";
import { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/actions";
import {
  AUDIT_OUTCOME_FILTERS,
  AUDIT_VIEWS,
  CURSOR_PATTERN,
  auditStateToParams,
  DEFAULT_AUDIT_STATE,
  isCalendarDay,
  MAX_ACTOR_LENGTH,
  MAX_OPERATOR_ID_LENGTH,
  MAX_TARGET_LENGTH,
  type AuditOutcomeFilter,
  type AuditSearchState,
} from "@/lib/validations/audit";
import { withoutControlCharacters } from "@/lib/validations/text";

export const EVENT_PARAM = "event";
const SEQUENCE_PATTERN = /^[1-9]\d{0,17}$/;

export type AuditUrlState = { state: AuditSearchState; event: string | null };

/** A text parameter: control characters dropped, trimmed and cut to `maxLength`, "" for none. */
function textParser(maxLength: number) {
  return createParser({
    parse: (value) => withoutControlCharacters(value).trim().slice(0, maxLength) || null,
    serialize: (value: string) => value,
  }).withDefault("");
}

/** A parameter that is kept only when `isValid` says so (an invalid one reads as its default). */
function validatedParser<T extends string>(isValid: (value: string) => value is T) {
  return createParser<T | "">({
    parse: (value) => (isValid(value) ? value : null),
    serialize: (value) => value,
  });
}

function isOneOf<T extends string>(values: readonly T[]) {
  return (value: string): value is T => (values as readonly string[]).includes(value);
}

/**
 * The audit page's URL parameters, read as leniently as the server page reads them
 * (auditStateFromParams): one bad value drops that value instead of failing the page.
 */
const auditParsers = {
  actor: textParser(MAX_ACTOR_LENGTH),
  target: textParser(MAX_TARGET_LENGTH),
  action: validatedParser<AuditAction>(isOneOf(AUDIT_ACTIONS)).withDefault(""),
  outcome: validatedParser<AuditOutcomeFilter>(isOneOf(AUDIT_OUTCOME_FILTERS)).withDefault(""),
  from: validatedParser((value): value is string => isCalendarDay(value)).withDefault(""),
  to: validatedParser((value): value is string => isCalendarDay(value)).withDefault(""),
  view: parseAsStringLiteral(AUDIT_VIEWS).withDefault(DEFAULT_AUDIT_STATE.view),
  scopeOf: textParser(MAX_OPERATOR_ID_LENGTH),
  cursor: validatedParser((value): value is string => CURSOR_PATTERN.test(value)).withDefault(""),
  [EVENT_PARAM]: validatedParser((value): value is string => SEQUENCE_PATTERN.test(value)),
};

/** The href for a state (and optionally an open event), relative to the current page. */
export function auditHref(pathname: string, state: AuditSearchState, event: string | null = null): string {
  const params = auditStateToParams(state);
  if (event) params.set(EVENT_PARAM, event);
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/**
 * The audit page's state lives in the URL (shareable, back/forward work), through nuqs. Changes
 * are shallow (History API, which Next's router observes), so paging and filtering re-render
 * only the client table (TanStack Query fetches the page) instead of a full server round trip.
 */
export function useAuditUrl() {
  const pathname = usePathname();
  const [values, setValues] = useQueryStates(auditParsers, { shallow: true, clearOnDefault: true, history: "push" });
  const current = useMemo<AuditUrlState>(() => {
    const { event, ...state } = values;
    // A "to" before "from" is dropped, as on the server.
    const to = state.from && state.to && state.to < state.from ? "" : state.to;
    return { state: { ...state, to }, event: event || null };
  }, [values]);

  const navigate = useCallback(
    (next: AuditUrlState) => void setValues({ ...next.state, [EVENT_PARAM]: next.event }),
    [setValues],
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
