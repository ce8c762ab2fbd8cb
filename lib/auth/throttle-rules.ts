/**
 * Sign-in throttling rules (pure; the counting is in lib/auth/sign-in-throttle.ts). They slow
 * guessing without handing an attacker a way to lock an operator out:
 *
 * - per account *and* IP: 10 failed sign-ins in 15 minutes, then that IP is refused for that
 *   account until the oldest failure leaves the window;
 * - per IP: 50 failed sign-ins in 15 minutes over all accounts, then the IP is refused;
 * - per account from anywhere: after 10 failures in the window every further attempt must wait
 *   a growing delay after the account's last failure (1 s, 2 s, 4 s, … at most 30 s). A spread-out
 *   attacker gets at most one guess per 30 s; the owner signing in from their own IP waits at
 *   most 30 s, never 15 minutes.
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 10;
export const MAX_FAILURES_PER_IP = 50;
export const ACCOUNT_FAILURES_BEFORE_DELAY = 10;
export const MAX_ACCOUNT_DELAY_MS = 30 * 1000;

/** Failures inside the window, as the throttle query returns them. */
export type FailureCounts = {
  forAccountAndIp: number;
  oldestForAccountAndIp: Date | null;
  forIp: number;
  oldestForIp: Date | null;
  forAccount: number;
  lastForAccount: Date | null;
};

export type ThrottleDecision =
  | { allowed: true }
  /** `locked`: the account-and-IP or IP limit (minutes); `slowed`: the account's delay (seconds). */
  | { allowed: false; kind: "locked" | "slowed"; retryAt: Date };

/** The moment from which failures still count. */
export function windowStart(now: Date): Date {
  return new Date(now.getTime() - THROTTLE_WINDOW_MS);
}

/** When a locked-out caller may try again: the oldest counted failure leaves the window. */
export function retryAt(oldestCountedFailure: Date): Date {
  return new Date(oldestCountedFailure.getTime() + THROTTLE_WINDOW_MS);
}

/** Wait required after the account's last failure once it has `failures` in the window. */
export function accountDelayMs(failures: number): number {
  if (failures < ACCOUNT_FAILURES_BEFORE_DELAY) return 0;
  const exponent = Math.min(failures - ACCOUNT_FAILURES_BEFORE_DELAY, 15);
  return Math.min(1000 * 2 ** exponent, MAX_ACCOUNT_DELAY_MS);
}

export function decideThrottle(counts: FailureCounts, now: Date): ThrottleDecision {
  if (counts.forAccountAndIp >= MAX_FAILURES_PER_ACCOUNT_AND_IP) {
    return { allowed: false, kind: "locked", retryAt: retryAt(counts.oldestForAccountAndIp ?? now) };
  }
  if (counts.forIp >= MAX_FAILURES_PER_IP) {
    return { allowed: false, kind: "locked", retryAt: retryAt(counts.oldestForIp ?? now) };
  }
  const delay = accountDelayMs(counts.forAccount);
  if (delay > 0 && counts.lastForAccount && now.getTime() < counts.lastForAccount.getTime() + delay) {
    return { allowed: false, kind: "slowed", retryAt: new Date(counts.lastForAccount.getTime() + delay) };
  }
  return { allowed: true };
}
