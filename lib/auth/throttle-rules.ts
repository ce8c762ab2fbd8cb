/**
 * Sign-in throttling rules (pure). More than MAX_FAILURES failed sign-ins for one account or
 * from one IP within the window are refused until the window has passed. Counting happens in
 * the database so the limit holds across app instances.
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES = 10;

export type FailureCounts = { forEmail: number; forIp: number };

export function isThrottled(counts: FailureCounts): boolean {
  return counts.forEmail >= MAX_FAILURES || counts.forIp >= MAX_FAILURES;
}

/** The moment from which failures still count. */
export function windowStart(now: Date): Date {
  return new Date(now.getTime() - THROTTLE_WINDOW_MS);
}

/** When a throttled caller may try again: the oldest counted failure leaves the window. */
export function retryAt(oldestCountedFailure: Date): Date {
  return new Date(oldestCountedFailure.getTime() + THROTTLE_WINDOW_MS);
}
