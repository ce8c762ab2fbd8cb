import { z } from "zod";
import { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/actions";
import { hasControlCharacters, withoutControlCharacters } from "./text";

/**
 * The audit page's state, shared by the URL (/audit?…), the route handlers
 * (GET /api/audit/events?…, GET /api/audit/export?…) and the client. One serialisation both
 * ways, so a shared link, an API call and an export of "what I see" mean the same rows.
 */

/** "operations": one row per operation (pending + outcome folded); "events": every chain row. */
export const AUDIT_VIEWS = ["operations", "events"] as const;
export type AuditView = (typeof AUDIT_VIEWS)[number];

export const AUDIT_OUTCOME_FILTERS = ["succeeded", "failed", "unknown", "pending"] as const;
export type AuditOutcomeFilter = (typeof AUDIT_OUTCOME_FILTERS)[number];

export const AUDIT_EXPORT_FORMATS = ["csv", "ndjson"] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_API_PAGE_SIZE = 200;
export const MAX_ACTOR_LENGTH = 320;
export const MAX_TARGET_LENGTH = 512;

export type AuditSearchState = {
  /** Operator email or id. */
  actor: string;
  /** Auth0 user id or email. */
  target: string;
  action: AuditAction | "";
  outcome: AuditOutcomeFilter | "";
  /** Inclusive first day, YYYY-MM-DD (UTC, the app's time zone). */
  from: string;
  /** Inclusive last day, YYYY-MM-DD (UTC). */
  to: string;
  view: AuditView;
  /**
   * An operator's id: only events whose target user is within that operator's scope (now, at
   * Auth0). For readers who see the whole log; "" for none.
   */
  scopeOf: string;
  /** Sequence of the last row of the previous page; "" for the newest page. */
  cursor: string;
};

export const DEFAULT_AUDIT_STATE: AuditSearchState = {
  actor: "",
  target: "",
  action: "",
  outcome: "",
  from: "",
  to: "",
  view: "operations",
  scopeOf: "",
  cursor: "",
};

/** Same shape the audit library accepts: a positive decimal sequence… */
export const CURSOR_PATTERN = /^[1-9]\d{0,18}$/;
/** …within PostgreSQL's bigint range (19 digits alone would let 9223372036854775808 through). */
const MAX_SEQUENCE = 9_223_372_036_854_775_807n;

/** A positive event sequence number that fits the database's bigint column. */
export function isAuditSequence(value: string): boolean {
  return CURSOR_PATTERN.test(value) && BigInt(value) <= MAX_SEQUENCE;
}
/** The shape of an operator id (a cuid); whether one exists is decided on the server. */
export const OPERATOR_ID_PATTERN = /^[a-z0-9]{1,64}$/;
export const MAX_OPERATOR_ID_LENGTH = 64;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day in YYYY-MM-DD form (rejects 2024-02-30, which Date would roll over). */
export function isCalendarDay(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const day = z.string().refine(isCalendarDay, { message: "must be a date (YYYY-MM-DD)" });

/** Strict: route handlers answer 400 naming the parameter, rather than silently widening a query. */
export const auditQuerySchema = z
  .object({
    actor: z
      .string()
      .trim()
      .max(MAX_ACTOR_LENGTH, `must be at most ${MAX_ACTOR_LENGTH} characters`)
      .refine((value) => !hasControlCharacters(value), "must not contain control characters")
      .default(""),
    target: z
      .string()
      .trim()
      .max(MAX_TARGET_LENGTH, `must be at most ${MAX_TARGET_LENGTH} characters`)
      .refine((value) => !hasControlCharacters(value), "must not contain control characters")
      .default(""),
    action: z.enum(AUDIT_ACTIONS).optional(),
    outcome: z.enum(AUDIT_OUTCOME_FILTERS).optional(),
    from: day.optional(),
    to: day.optional(),
    view: z.enum(AUDIT_VIEWS).default("operations"),
    scopeOf: z.string().regex(OPERATOR_ID_PATTERN, "must be an operator with a scope").optional(),
    cursor: z.string().refine(isAuditSequence, "must be an event sequence number").optional(),
    limit: z.coerce.number().int().min(1).max(MAX_AUDIT_API_PAGE_SIZE).default(AUDIT_PAGE_SIZE),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, {
    path: ["to"],
    message: "must not be before from",
  })
  .transform((value) => ({
    state: {
      actor: value.actor,
      target: value.target,
      action: value.action ?? "",
      outcome: value.outcome ?? "",
      from: value.from ?? "",
      to: value.to ?? "",
      view: value.view,
      scopeOf: value.scopeOf ?? "",
      cursor: value.cursor ?? "",
    } satisfies AuditSearchState,
    limit: value.limit,
  }));

export const auditExportFormatSchema = z.enum(AUDIT_EXPORT_FORMATS);

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

/** First value of each parameter; empty values mean "not set", as in a form submitted with blanks. */
function firstValues(source: ParamSource): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: [string, string | string[] | undefined][] =
    source instanceof URLSearchParams
      ? [...source.keys()].map((key) => [key, source.get(key) ?? ""])
      : Object.entries(source);
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "" && !(key in out)) out[key] = first;
  }
  return out;
}

/** Strict parse for route handlers. */
export function parseAuditQuery(source: ParamSource) {
  return auditQuerySchema.safeParse(firstValues(source));
}

function isOneOf<T extends string>(values: readonly T[], value: string | undefined): value is T {
  return value !== undefined && (values as readonly string[]).includes(value);
}

/**
 * Lenient parse for the page: a hand-edited link with one bad value drops that value instead of
 * failing the whole page (the filter form then shows what is really applied).
 */
export function auditStateFromParams(source: ParamSource): AuditSearchState {
  const record = firstValues(source);
  const from = record.from && isCalendarDay(record.from) ? record.from : "";
  const toCandidate = record.to && isCalendarDay(record.to) ? record.to : "";
  return {
    actor: withoutControlCharacters(record.actor ?? "").trim().slice(0, MAX_ACTOR_LENGTH),
    target: withoutControlCharacters(record.target ?? "").trim().slice(0, MAX_TARGET_LENGTH),
    action: isOneOf(AUDIT_ACTIONS, record.action) ? record.action : "",
    outcome: isOneOf(AUDIT_OUTCOME_FILTERS, record.outcome) ? record.outcome : "",
    from,
    to: from && toCandidate && toCandidate < from ? "" : toCandidate,
    view: isOneOf(AUDIT_VIEWS, record.view) ? record.view : DEFAULT_AUDIT_STATE.view,
    // Kept even when it names no operator: the page then says so instead of widening the list.
    scopeOf: withoutControlCharacters(record.scopeOf ?? "").trim().slice(0, MAX_OPERATOR_ID_LENGTH),
    cursor: record.cursor && isAuditSequence(record.cursor) ? record.cursor : "",
  };
}

/** The URL query for a state, omitting defaults so links stay short. Stable key order. */
export function auditStateToParams(
  state: AuditSearchState,
  options: { includeCursor?: boolean } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  if (state.actor !== "") params.set("actor", state.actor);
  if (state.target !== "") params.set("target", state.target);
  if (state.action !== "") params.set("action", state.action);
  if (state.outcome !== "") params.set("outcome", state.outcome);
  if (state.from !== "") params.set("from", state.from);
  if (state.to !== "") params.set("to", state.to);
  if (state.view !== DEFAULT_AUDIT_STATE.view) params.set("view", state.view);
  if (state.scopeOf !== "") params.set("scopeOf", state.scopeOf);
  if ((options.includeCursor ?? true) && state.cursor !== "") params.set("cursor", state.cursor);
  return params;
}

/** True when any filter (not paging, not the view) narrows the log. */
export function hasAuditFilters(state: AuditSearchState): boolean {
  return (
    state.actor !== "" ||
    state.target !== "" ||
    state.action !== "" ||
    state.outcome !== "" ||
    state.from !== "" ||
    state.to !== "" ||
    state.scopeOf !== ""
  );
}

/** Start of a UTC day. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** Start of the UTC day after `day`: the exclusive upper bound of an inclusive "to" day. */
export function dayAfter(day: string): Date {
  const date = dayStart(day);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}
