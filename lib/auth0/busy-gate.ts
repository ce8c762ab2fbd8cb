/**
 * "Auth0 is busy until T", per rate-limit group, shared by every request of this process. When
 * Auth0 answers 429 for one call, every other call of the same group waits for the reset (if it
 * is near and the call may be retried) or fails at once with the same 429 — instead of each
 * request learning it separately by hammering an API that already said slow down.
 *
 * Groups follow Auth0's per-endpoint buckets as Passdesk uses them. The Authentication API's
 * reset email is not gated: its limit is per (IP, email), so one user's 429 says nothing about
 * another's.
 */

const GROUP_OF_OPERATION: Record<string, string> = {
  "users.list": "users:read",
  "users.get": "users:read",
  "users.by_email": "users:read",
  "users.set_password": "users:write",
  "tickets.change_password": "tickets",
  "connections.list": "connections",
};

/** The rate-limit group of a Management API operation (its own name when not listed). */
export function rateLimitGroupOf(operation: string): string {
  return GROUP_OF_OPERATION[operation] ?? operation;
}

// On globalThis: Next bundles routes separately; the Management API client is process-wide too.
const holder = globalThis as typeof globalThis & { __passdeskAuth0BusyUntil?: Map<string, number> };

function state(): Map<string, number> {
  holder.__passdeskAuth0BusyUntil ??= new Map();
  return holder.__passdeskAuth0BusyUntil;
}

/** Records Auth0's "slow down" for `group` until `retryAt` (a later reset wins). */
export function markAuth0Busy(group: string, retryAt: Date): void {
  const until = retryAt.getTime();
  if (until > (state().get(group) ?? 0)) state().set(group, until);
}

/** When `group` may be called again, or null when it may be called now. */
export function auth0BusyUntil(group: string, now = Date.now()): Date | null {
  const until = state().get(group);
  if (until === undefined) return null;
  if (until <= now) {
    state().delete(group);
    return null;
  }
  return new Date(until);
}

/** Forgets every gate (tests). */
export function resetAuth0BusyGates(): void {
  state().clear();
}
