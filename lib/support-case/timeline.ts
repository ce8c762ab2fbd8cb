import { z } from "zod";

/**
 * The profile's sign-in timeline: the user's tenant log events and Passdesk's audit events for
 * that user (by every operator), interleaved newest first. Pure helpers: merging and the cursor.
 *
 * Paging follows the tenant logs, which Auth0 pages natively: page k of the timeline is log page
 * k plus the audit events between that page's oldest log event and the previous page's one
 * (half-open windows, so every audit event lands on exactly one page). Once the logs run out (or
 * cannot be read), the remaining older audit events are paged by their sequence.
 */

/** Log events per timeline page (one Management API call; the diagnosis reads the same page). */
export const TIMELINE_LOG_PAGE_SIZE = 50;
/** Audit operations per page once the logs are exhausted, and at most per log window. */
export const TIMELINE_AUDIT_PAGE_SIZE = 50;

export type TimelineLogEntry = {
  kind: "log";
  id: string;
  time: string;
  /** Auth0 event type code; the UI labels the known ones and shows others raw. */
  type: string;
  description: string | null;
  ip: string | null;
  application: string | null;
  connection: string | null;
};

export type TimelineAuditEntry = {
  kind: "audit";
  id: string;
  time: string;
  /** Passdesk audit action (`password.reset_email`, …). */
  action: string;
  actorEmail: string | null;
  /** SUCCEEDED | FAILED | UNKNOWN (an operation's effective outcome). */
  outcome: string;
  reason: string | null;
};

export type TimelineEntry = TimelineLogEntry | TimelineAuditEntry;

/** Why the tenant logs are missing from a timeline page (the audit part still shows). */
export type TimelineLogsError = {
  code: "missing_scope" | "rate_limited" | "unavailable" | "timeout";
  scopes: string[];
  retryAt: string | null;
};

export type TimelinePage = {
  entries: TimelineEntry[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
  logsError: TimelineLogsError | null;
  /** The log window held more audit events than one page shows (the audit log has them all). */
  auditTruncated: boolean;
};

export type TimelineCursor = {
  /** Next log page (1-based); null once the logs are exhausted or unreadable. */
  logPage: number | null;
  /** Exclusive upper bound (ISO) for the audit events of the next page; null = none. */
  before: string | null;
  /** Audit keyset cursor (sequence) in the audit-only phase. */
  auditCursor: string | null;
};

export const FIRST_CURSOR: TimelineCursor = { logPage: 1, before: null, auditCursor: null };

const cursorSchema = z
  .object({
    logPage: z.number().int().min(1).max(1000).nullable(),
    before: z.iso.datetime().nullable(),
    auditCursor: z.string().regex(/^[1-9]\d{0,18}$/).nullable(),
  })
  .strict();

export function encodeTimelineCursor(cursor: TimelineCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

/** The cursor a client sent back; null when it is not one Passdesk wrote. */
export function decodeTimelineCursor(value: string | null | undefined): TimelineCursor | null {
  if (value === null || value === undefined || value === "") return FIRST_CURSOR;
  if (value.length > 400 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function timeOf(entry: TimelineEntry): number {
  const value = Date.parse(entry.time);
  return Number.isNaN(value) ? 0 : value;
}

/**
 * Newest first. At the same millisecond the audit event goes first in reading order's reverse:
 * Passdesk writes its event before Auth0 acts, so the Auth0 event is newer in the story.
 */
export function mergeTimeline(logs: readonly TimelineLogEntry[], audits: readonly TimelineAuditEntry[]): TimelineEntry[] {
  const seen = new Set<string>();
  const all: TimelineEntry[] = [];
  for (const entry of [...logs, ...audits]) {
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    all.push(entry);
  }
  return all.sort((a, b) => timeOf(b) - timeOf(a) || (a.kind === b.kind ? 0 : a.kind === "log" ? -1 : 1));
}

/** The audit window of one log page: [oldest log on it, before) — or everything before when the logs end. */
export function auditWindowFor(
  logs: { events: readonly { date: string }[]; hasMore: boolean },
  before: string | null,
): { from: string | null; to: string | null } {
  const oldest = logs.events.at(-1)?.date ?? null;
  return { from: logs.hasMore ? oldest : null, to: before };
}
