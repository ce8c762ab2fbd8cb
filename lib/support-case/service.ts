import "server-only";
import { cache } from "react";
import {
  Auth0Error,
  Auth0NotFoundError,
  Auth0RateLimitError,
  Auth0ScopeError,
  upstreamFailureKind,
} from "@/lib/auth0/errors";
import { listUserLogs, LOG_SCOPES, type TenantLogEvent, type UserLogPage } from "@/lib/auth0/logs";
import type { UserProfile } from "@/lib/auth0/types";
import { getUserBlocks, type UserBlock } from "@/lib/auth0/user-blocks";
import { listAuditEvents, type AuditEventRecord } from "@/lib/audit/query";
import { getPrisma } from "@/lib/db";
import { userIdFromParam } from "@/lib/users/profile";
import { diagnose, type Diagnosis } from "./diagnosis";
import { resetStatuses, type ResetOperation, type ResetStatus } from "./reset-status";
import {
  auditWindowFor,
  encodeTimelineCursor,
  mergeTimeline,
  TIMELINE_AUDIT_PAGE_SIZE,
  TIMELINE_LOG_PAGE_SIZE,
  type TimelineAuditEntry,
  type TimelineCursor,
  type TimelineLogEntry,
  type TimelineLogsError,
  type TimelinePage,
} from "./timeline";

/** Why a profile panel could not load its data, in words the panel translates. */
export type PanelError = {
  code: "not_found" | "missing_scope" | "rate_limited" | "timeout" | "unavailable";
  /** missing_scope: the scopes Auth0 expected (any one). */
  scopes: string[];
  /** rate_limited: when to try again (ISO). */
  retryAt: string | null;
};

export type Settled<T> = { ok: true; value: T } | { ok: false; error: PanelError };

/** An Auth0 failure as a panel error; anything else (a bug) is rethrown. */
export function toPanelError(error: unknown, fallbackScopes: readonly string[] = []): PanelError {
  if (!(error instanceof Auth0Error)) throw error;
  if (error instanceof Auth0ScopeError)
    return { code: "missing_scope", scopes: error.scopes.length > 0 ? [...error.scopes] : [...fallbackScopes], retryAt: null };
  if (error instanceof Auth0RateLimitError) return { code: "rate_limited", scopes: [], retryAt: error.retryAt.toISOString() };
  if (error instanceof Auth0NotFoundError) return { code: "not_found", scopes: [], retryAt: null };
  return { code: upstreamFailureKind(error) === "timeout" ? "timeout" : "unavailable", scopes: [], retryAt: null };
}

async function settle<T>(call: Promise<T>, scopes: readonly string[] = []): Promise<Settled<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    return { ok: false, error: toPanelError(error, scopes) };
  }
}

/**
 * The user's brute-force blocks, once per render (React cache). A missing user (null) is the
 * profile's 404, not this panel's.
 */
const cachedBlocks = cache((userId: string): Promise<Settled<UserBlock[] | null>> =>
  settle(getUserBlocks(userId), ["read:users"]),
);
export function loadUserBlocks(rawId: string): Promise<Settled<UserBlock[] | null>> {
  return cachedBlocks(userIdFromParam(rawId));
}

/** The newest page of the user's tenant logs, once per render: diagnosis, timeline and reset status share it. */
const cachedLogs = cache((userId: string): Promise<Settled<UserLogPage>> =>
  settle(listUserLogs(userId, { page: 1, perPage: TIMELINE_LOG_PAGE_SIZE }), LOG_SCOPES),
);
export function loadRecentLogs(rawId: string): Promise<Settled<UserLogPage>> {
  return cachedLogs(userIdFromParam(rawId));
}

/**
 * Starts the profile's Auth0 reads at once, before anything awaits, so the user, blocks and
 * logs calls run in parallel (the panels then await the same cached promises).
 */
export function preloadSupportCase(rawId: string): void {
  // Nobody awaits these when the user turns out not to exist: keep a bug's rejection from
  // becoming an unhandled one (the panels that do await still see it).
  loadUserBlocks(rawId).catch(() => undefined);
  loadRecentLogs(rawId).catch(() => undefined);
}

export type DiagnosisView = {
  diagnosis: Diagnosis;
  /** What the diagnosis could not read (it then rests on what it had). */
  blocksError: PanelError | null;
  logsError: PanelError | null;
};

export async function loadDiagnosis(user: UserProfile, now = Date.now()): Promise<DiagnosisView> {
  const [blocks, logs] = await Promise.all([loadUserBlocks(user.userId), loadRecentLogs(user.userId)]);
  return {
    diagnosis: diagnose(user, blocks.ok ? blocks.value : null, logs.ok ? logs.value.events : null, now),
    blocksError: blocks.ok ? null : blocks.error,
    logsError: logs.ok ? null : logs.error,
  };
}

function toLogEntry(event: TenantLogEvent): TimelineLogEntry {
  return {
    kind: "log",
    id: `log:${event.logId}`,
    time: event.date,
    type: event.type,
    description: event.description,
    ip: event.ip,
    application: event.clientName ?? event.clientId,
    connection: event.connection,
  };
}

function toAuditEntry(record: AuditEventRecord): TimelineAuditEntry {
  return {
    kind: "audit",
    id: `audit:${record.sequence}`,
    time: record.time.toISOString(),
    action: record.action,
    actorEmail: record.actorEmail,
    outcome: record.effectiveOutcome,
    reason: record.reason,
  };
}

function toLogsError(error: PanelError): TimelineLogsError {
  return {
    code: error.code === "not_found" ? "unavailable" : error.code,
    scopes: error.scopes,
    retryAt: error.retryAt,
  };
}

/** Audit operations on the user (every operator's), newest first, in [from, to). */
async function auditOperations(
  userId: string,
  window: { from: string | null; to: string | null },
  cursor: string | null,
): Promise<{ events: AuditEventRecord[]; nextCursor: string | null }> {
  const db = await getPrisma();
  return listAuditEvents(
    db,
    {
      targetUserId: userId,
      view: "operations",
      from: window.from ? new Date(window.from) : null,
      to: window.to ? new Date(window.to) : null,
    },
    cursor,
    TIMELINE_AUDIT_PAGE_SIZE,
  );
}

/**
 * One timeline page. The first page reuses the render's cached log page; later pages read their
 * own. Audit events are Passdesk's own data, `users:read`-level facts about this user: every
 * operator's events on this user show here (the /audit page keeps support to its own).
 *
 * @throws Auth0Error when a later log page fails (the first page degrades to audit-only).
 */
export async function loadTimelinePage(userId: string, cursor: TimelineCursor): Promise<TimelinePage> {
  if (cursor.logPage !== null) {
    const logs =
      cursor.logPage === 1
        ? await loadRecentLogs(userId)
        : { ok: true as const, value: await listUserLogs(userId, { page: cursor.logPage, perPage: TIMELINE_LOG_PAGE_SIZE }) };
    if (logs.ok) {
      const window = auditWindowFor(logs.value, cursor.before);
      const audits = await auditOperations(userId, window, null);
      const entries = mergeTimeline(logs.value.events.map(toLogEntry), audits.events.map(toAuditEntry));
      let next: TimelineCursor | null = null;
      if (window.from !== null) next = { logPage: cursor.logPage + 1, before: window.from, auditCursor: null };
      else if (audits.nextCursor !== null) next = { logPage: null, before: cursor.before, auditCursor: audits.nextCursor };
      return {
        entries,
        nextCursor: next ? encodeTimelineCursor(next) : null,
        logsError: null,
        auditTruncated: window.from !== null && audits.nextCursor !== null,
      };
    }
    // The logs are unreadable: show Passdesk's side of the story and say what is missing.
    const audits = await auditOperations(userId, { from: null, to: cursor.before }, null);
    return {
      entries: mergeTimeline([], audits.events.map(toAuditEntry)),
      nextCursor: audits.nextCursor
        ? encodeTimelineCursor({ logPage: null, before: cursor.before, auditCursor: audits.nextCursor })
        : null,
      logsError: toLogsError(logs.error),
      auditTruncated: false,
    };
  }
  const audits = await auditOperations(userId, { from: null, to: cursor.before }, cursor.auditCursor);
  return {
    entries: mergeTimeline([], audits.events.map(toAuditEntry)),
    nextCursor: audits.nextCursor
      ? encodeTimelineCursor({ logPage: null, before: cursor.before, auditCursor: audits.nextCursor })
      : null,
    logsError: null,
    auditTruncated: false,
  };
}

const RESET_ACTIONS = ["password.reset_email", "password.ticket"] as const;
const RESET_HISTORY_LIMIT = 20;

function numberDetail(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function stringDetail(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export function toResetOperation(record: AuditEventRecord): ResetOperation {
  const details = { ...record.details, ...(record.resolution?.details ?? {}) };
  return {
    sequence: record.sequence,
    kind: record.action === "password.ticket" ? "ticket" : "email",
    sentAt: record.time.toISOString(),
    outcome: record.effectiveOutcome,
    actorEmail: record.actorEmail,
    ttlSec: numberDetail(details["ttlSec"]),
    expiresAt: stringDetail(details["expiresAt"]),
  };
}

export type ResetStatusView = {
  statuses: ResetStatus[];
  /** The password-change logs could not be read; the states rest on last_password_reset. */
  logsError: PanelError | null;
};

/** Every reset email and link Passdesk sent this user (any operator), with what became of it. */
export async function loadResetStatus(user: UserProfile, now = Date.now()): Promise<ResetStatusView> {
  const db = await getPrisma();
  const [page, logs] = await Promise.all([
    listAuditEvents(
      db,
      { targetUserId: user.userId, action: RESET_ACTIONS, view: "operations" },
      null,
      RESET_HISTORY_LIMIT,
    ),
    loadRecentLogs(user.userId),
  ]);
  const changeLogDates = logs.ok ? logs.value.events.filter((event) => event.type === "scp").map((event) => event.date) : null;
  return {
    statuses: resetStatuses(page.events.map(toResetOperation), { lastPasswordReset: user.lastPasswordReset, changeLogDates }, now),
    logsError: logs.ok ? null : logs.error,
  };
}
