/**
 * The sign-in diagnosis at the top of a user's profile: from the user, their brute-force blocks
 * and their recent tenant log events, the one most likely reason they cannot sign in, with the
 * facts an agent reads out and the action that fixes it. Pure: no I/O, `now` is passed in.
 */

/** The action that fixes the cause; the profile wires each to its button (case actions). */
export type FixAction = "unblock" | "admin_unblock" | "reset_password" | "resend_verification";

/** What diagnose() needs of the user (a subset of UserProfile). */
export type DiagnosisUser = {
  blocked: boolean;
  emailVerified: boolean;
  email: string | null;
  identities: readonly { connection: string; provider: string; type: string }[];
  databaseIdentity: { connection: string } | null;
};

/** What diagnose() needs of a tenant log event (a subset of TenantLogEvent). */
export type DiagnosisLogEvent = {
  date: string;
  type: string;
  ip: string | null;
  clientName: string | null;
  connection: string | null;
};

export type DiagnosisBlock = { identifier: string; ip: string | null };

export type Diagnosis =
  | { cause: "admin_blocked"; fixAction: "admin_unblock" }
  | {
      cause: "brute_force_locked";
      /** When the lock started (the latest `limit_wc`, else the last wrong password); null when not in the logs. */
      lockedAt: string | null;
      /** Consecutive wrong passwords before the lock, counted in the logs read. */
      attempts: number;
      /** The IPs the lock applies to; empty means every IP. */
      ips: string[];
      fixAction: "unblock";
    }
  | { cause: "external_only"; providers: string[]; fixAction: null }
  | {
      cause: "wrong_password";
      attempts: number;
      lastAttemptAt: string;
      ips: string[];
      fixAction: "reset_password";
    }
  | { cause: "email_unverified"; email: string | null; fixAction: "resend_verification" }
  | {
      cause: "no_recent_failures";
      /** False when the logs could not be read: the diagnosis then cannot rule failures out. */
      logsChecked: boolean;
      fixAction: null;
    };

/** Failures older than this do not explain today's call. */
export const RECENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Log types of a failed password sign-in (Auth0: wrong password, generic failure). */
const WRONG_PASSWORD_TYPES = new Set(["fp"]);
const BLOCKED_ACCOUNT_TYPE = "limit_wc";
const SUCCESS_TYPES = new Set(["s", "sepft", "ssa"]);
const PASSWORD_CHANGED_TYPE = "scp";

function time(event: DiagnosisLogEvent): number {
  const value = Date.parse(event.date);
  return Number.isNaN(value) ? 0 : value;
}

function unique(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null && value !== ""))];
}

/**
 * The wrong-password run that matters: wrong passwords newer than the last success or password
 * change (either ends a run), within the recent window; oldest first.
 */
function currentRun(logs: readonly DiagnosisLogEvent[], now: number): DiagnosisLogEvent[] {
  const sorted = [...logs].sort((a, b) => time(a) - time(b));
  let run: DiagnosisLogEvent[] = [];
  for (const event of sorted) {
    if (SUCCESS_TYPES.has(event.type) || event.type === PASSWORD_CHANGED_TYPE) run = [];
    else if (WRONG_PASSWORD_TYPES.has(event.type) && now - time(event) <= RECENT_WINDOW_MS) run.push(event);
  }
  return run;
}

/**
 * The most likely cause, in this order: an admin block (nothing else matters until lifted), a
 * brute-force lock, a user without a password (social/enterprise), recent wrong passwords, an
 * unverified email, else no recent failure. `logs` null = the logs could not be read.
 */
export function diagnose(
  user: DiagnosisUser,
  blocks: readonly DiagnosisBlock[] | null,
  logs: readonly DiagnosisLogEvent[] | null,
  now: number,
): Diagnosis {
  if (user.blocked) return { cause: "admin_blocked", fixAction: "admin_unblock" };

  const events = logs ?? [];
  if (blocks && blocks.length > 0) {
    const newestFirst = [...events].sort((a, b) => time(b) - time(a));
    const lockEvent = newestFirst.find((event) => event.type === BLOCKED_ACCOUNT_TYPE);
    const run = currentRun(events, now);
    const lockedAt = lockEvent?.date ?? run.at(-1)?.date ?? null;
    const ips = blocks.some((block) => block.ip === null) ? [] : unique(blocks.map((block) => block.ip));
    return { cause: "brute_force_locked", lockedAt, attempts: run.length, ips, fixAction: "unblock" };
  }

  if (user.databaseIdentity === null) {
    const providers = unique(user.identities.map((identity) => identity.connection));
    return { cause: "external_only", providers, fixAction: null };
  }

  const run = currentRun(events, now);
  const last = run.at(-1);
  if (last) {
    return {
      cause: "wrong_password",
      attempts: run.length,
      lastAttemptAt: last.date,
      ips: unique(run.map((event) => event.ip)),
      fixAction: "reset_password",
    };
  }

  if (!user.emailVerified && user.email) {
    return { cause: "email_unverified", email: user.email, fixAction: "resend_verification" };
  }

  return { cause: "no_recent_failures", logsChecked: logs !== null, fixAction: null };
}
