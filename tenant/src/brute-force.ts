import type { Connection, User } from "./types.ts";

/** Auth0's default threshold: 10 consecutive failed logins for one user from one IP [D]. */
export const DEFAULT_MAX_ATTEMPTS = 10;
/** A block ends 30 days after the last failed attempt [D]. */
export const BLOCK_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** The 429 body of a login while the (user, IP) pair is blocked [I auth0/lock#327]. */
export const TOO_MANY_ATTEMPTS_DESCRIPTION =
  "Your account has been blocked after multiple consecutive login attempts. We’ve sent you an email with instructions on how to unblock it.";

type Counter = {
  userId: string;
  /** What the user typed (an email, lower-cased, or a username). */
  identifier: string;
  ip: string;
  connection: string;
  failures: number;
  lastFailedAt: number;
  /** Set once `failures` reached the threshold. */
  blockedAt?: number;
};

/** One entry of `blocked_for` in GET /api/v2/user-blocks. */
export type BlockedFor = { identifier: string; ip: string; connection: string };

/**
 * Brute-force protection ("Block Brute-force Logins", mode count_per_identifier_and_ip): counts
 * consecutive failed password logins per (user, IP); at the threshold that IP can no longer
 * sign in as that user until an admin unblocks it, the password changes, or 30 days pass.
 * State is in memory, like sign-in sessions.
 */
export class BruteForceProtection {
  maxAttempts = DEFAULT_MAX_ATTEMPTS;
  private counters = new Map<string, Counter>();

  private static key(userId: string, ip: string): string {
    return `${userId}\n${ip}`;
  }

  /** Whether the connection has brute-force protection on (database connections: on by default). */
  static appliesTo(connection: Connection): boolean {
    return connection.options.brute_force_protection !== false;
  }

  private live(counter: Counter, now: number): boolean {
    if (now - counter.lastFailedAt < BLOCK_LIFETIME_MS) return true;
    this.counters.delete(BruteForceProtection.key(counter.userId, counter.ip));
    return false;
  }

  isBlocked(userId: string, ip: string, now: number): boolean {
    const counter = this.counters.get(BruteForceProtection.key(userId, ip));
    return counter?.blockedAt !== undefined && this.live(counter, now);
  }

  /** Counts a wrong password; returns true when this attempt reached the threshold. */
  recordFailure(user: User, identifier: string, ip: string, connection: Connection, now: number): boolean {
    const key = BruteForceProtection.key(user.user_id, ip);
    const existing = this.counters.get(key);
    const counter: Counter =
      existing && this.live(existing, now)
        ? existing
        : {
            userId: user.user_id,
            identifier,
            ip,
            connection: connection.name,
            failures: 0,
            lastFailedAt: now,
          };
    counter.failures += 1;
    counter.lastFailedAt = now;
    counter.identifier = identifier;
    this.counters.set(key, counter);
    if (counter.blockedAt === undefined && counter.failures >= this.maxAttempts) {
      counter.blockedAt = now;
      return true;
    }
    return false;
  }

  /** A successful login ends the run of consecutive failures from that IP. */
  recordSuccess(userId: string, ip: string): void {
    this.counters.delete(BruteForceProtection.key(userId, ip));
  }

  /** Failed attempts counted so far for (user, IP) — 0 when none or expired. */
  failures(userId: string, ip: string, now: number): number {
    const counter = this.counters.get(BruteForceProtection.key(userId, ip));
    return counter && this.live(counter, now) ? counter.failures : 0;
  }

  blocksOf(userId: string, now: number): BlockedFor[] {
    return this.active(now)
      .filter((c) => c.userId === userId)
      .map(toBlockedFor);
  }

  /** Blocks whose identifier, or whose user's email/username, is `identifier`. */
  blocksByIdentifier(identifier: string, users: ReadonlyMap<string, User>, now: number): BlockedFor[] {
    return this.active(now)
      .filter((c) => matchesIdentifier(c, identifier, users))
      .map(toBlockedFor);
  }

  /** Lifts every block (and failure count) of a user; returns how many blocks ended. */
  clearUser(userId: string): number {
    let ended = 0;
    for (const [key, counter] of this.counters) {
      if (counter.userId !== userId) continue;
      if (counter.blockedAt !== undefined) ended++;
      this.counters.delete(key);
    }
    return ended;
  }

  clearIdentifier(identifier: string, users: ReadonlyMap<string, User>): number {
    let ended = 0;
    for (const [key, counter] of this.counters) {
      if (!matchesIdentifier(counter, identifier, users)) continue;
      if (counter.blockedAt !== undefined) ended++;
      this.counters.delete(key);
    }
    return ended;
  }

  clear(): void {
    this.counters.clear();
    this.maxAttempts = DEFAULT_MAX_ATTEMPTS;
  }

  private active(now: number): Counter[] {
    return [...this.counters.values()].filter((c) => c.blockedAt !== undefined && this.live(c, now));
  }
}

function toBlockedFor(counter: Counter): BlockedFor {
  return { identifier: counter.identifier, ip: counter.ip, connection: counter.connection };
}

function matchesIdentifier(counter: Counter, identifier: string, users: ReadonlyMap<string, User>): boolean {
  const wanted = identifier.toLowerCase();
  if (counter.identifier.toLowerCase() === wanted) return true;
  const user = users.get(counter.userId);
  return user?.email?.toLowerCase() === wanted || user?.username?.toLowerCase() === wanted;
}
