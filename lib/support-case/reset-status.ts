/**
 * What became of each reset email and reset link Passdesk sent for one user. Pure: the audit
 * operations, the user's last password change and their password-change log events go in,
 * one state per operation comes out.
 *
 * A reset link works once, until its lifetime passes, and only the newest one works: every new
 * reset email or link supersedes the earlier ones (tenant/README.md; Auth0 documents "only the
 * newest link works" for reset emails).
 */

/** Auth0's default URL lifetime of a reset email (and a ticket without `ttl_sec`): 5 days. */
export const DEFAULT_RESET_LIFETIME_SEC = 432_000;

export type ResetKind = "email" | "ticket";

/** One reset operation as the audit log holds it. */
export type ResetOperation = {
  /** The audit sequence of the operation (its pending or single-shot event). */
  sequence: string;
  kind: ResetKind;
  /** ISO time it was sent / created. */
  sentAt: string;
  /** "SUCCEEDED" | "FAILED" | "UNKNOWN" | … — only succeeded ones can be waiting or used. */
  outcome: string;
  actorEmail: string | null;
  /** From the audit details, when recorded: the ticket's lifetime and expiry. */
  ttlSec: number | null;
  expiresAt: string | null;
};

export type ResetState = "waiting" | "used" | "superseded" | "expired" | "unknown";

export type ResetStatus = {
  sequence: string;
  kind: ResetKind;
  sentAt: string;
  actorEmail: string | null;
  state: ResetState;
  /** When the link stops (stopped) working; null when unknown. */
  expiresAt: string | null;
  /** Whether expiresAt came from the operation's own lifetime or from Auth0's default. */
  lifetimeSource: "recorded" | "default";
  /** "used": when the password changed. "superseded": when the newer reset went out. */
  at: string | null;
  /** "unknown": why. */
  unknownReason: "outcome_unknown" | null;
};

export type PasswordChanges = {
  /** The user's `last_password_reset` (ISO) or null. */
  lastPasswordReset: string | null;
  /**
   * Dates of the user's password-change (`scp`) log events; null when the logs could not be
   * read — last_password_reset alone then still tells the latest change.
   */
  changeLogDates: readonly string[] | null;
};

function ms(iso: string | null): number | null {
  if (iso === null) return null;
  const value = Date.parse(iso);
  return Number.isNaN(value) ? null : value;
}

function expiryOf(operation: ResetOperation): { expiresAt: number; source: "recorded" | "default" } {
  const sent = ms(operation.sentAt) ?? 0;
  const recorded = ms(operation.expiresAt);
  if (recorded !== null) return { expiresAt: recorded, source: "recorded" };
  if (operation.ttlSec !== null && operation.ttlSec > 0)
    return { expiresAt: sent + operation.ttlSec * 1000, source: "recorded" };
  return { expiresAt: sent + DEFAULT_RESET_LIFETIME_SEC * 1000, source: "default" };
}

/**
 * The state of every operation, newest first. Failed operations sent no link and are left out.
 * A password change between an operation and the next one (and before its expiry) marks it used;
 * else a newer operation supersedes it; else it expired or is still waiting.
 */
export function resetStatuses(
  operations: readonly ResetOperation[],
  changes: PasswordChanges,
  now: number,
): ResetStatus[] {
  const sent = operations
    .filter((operation) => operation.outcome !== "FAILED")
    .sort((a, b) => (ms(a.sentAt) ?? 0) - (ms(b.sentAt) ?? 0));
  const changeTimes = [...(changes.changeLogDates ?? []), ...(changes.lastPasswordReset ? [changes.lastPasswordReset] : [])]
    .map((iso) => ({ iso, time: ms(iso) }))
    .filter((change): change is { iso: string; time: number } => change.time !== null)
    .sort((a, b) => a.time - b.time);

  const statuses = sent.map((operation, index): ResetStatus => {
    const sentTime = ms(operation.sentAt) ?? 0;
    const next = sent[index + 1];
    const nextTime = next ? (ms(next.sentAt) ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    const { expiresAt, source } = expiryOf(operation);
    const base = {
      sequence: operation.sequence,
      kind: operation.kind,
      sentAt: operation.sentAt,
      actorEmail: operation.actorEmail,
      expiresAt: new Date(expiresAt).toISOString(),
      lifetimeSource: source,
    };
    const used = changeTimes.find((change) => change.time >= sentTime && change.time < nextTime && change.time <= expiresAt);
    if (used) return { ...base, state: "used", at: used.iso, unknownReason: null };
    if (operation.outcome !== "SUCCEEDED") return { ...base, state: "unknown", at: null, unknownReason: "outcome_unknown" };
    if (next) return { ...base, state: "superseded", at: next.sentAt, unknownReason: null };
    if (now > expiresAt) return { ...base, state: "expired", at: null, unknownReason: null };
    return { ...base, state: "waiting", at: null, unknownReason: null };
  });
  return statuses.reverse();
}
