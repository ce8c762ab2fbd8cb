import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What Auth0 last said about each rate-limit group (x-ratelimit-limit / -remaining / -reset on
 * every Management API answer), so a caller that makes many calls — a bulk job — can pace
 * itself instead of running into 429s. Recorded by the shared transport (client.ts) for the
 * group of the operation that `run` is executing; process-wide, like the busy gate.
 */

export type RateLimitObservation = {
  limit: number;
  remaining: number;
  /** When the bucket is full again (ms since epoch; from x-ratelimit-reset). */
  resetAt: number;
  /** When the answer arrived (ms since epoch). */
  observedAt: number;
};

/** Reads the three headers; null when they are absent or not numbers. */
export function readRateLimitHeaders(
  headers: { get(name: string): string | null },
  observedAt: number,
): RateLimitObservation | null {
  const rawLimit = headers.get("x-ratelimit-limit");
  const rawRemaining = headers.get("x-ratelimit-remaining");
  const rawReset = headers.get("x-ratelimit-reset");
  if (rawLimit === null || rawRemaining === null || rawReset === null) return null;
  const limit = Number(rawLimit);
  const remaining = Number(rawRemaining);
  const reset = Number(rawReset);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset)) return null;
  // Auth0 sends epoch seconds; a reset in the past means "full now".
  return { limit, remaining, resetAt: Math.max(reset * 1000, observedAt), observedAt };
}

/** The rate-limit group of the Management API operation running in this async context. */
export const rateLimitGroupScope = new AsyncLocalStorage<string>();

const holder = globalThis as typeof globalThis & {
  __passdeskAuth0RateLimits?: Map<string, RateLimitObservation>;
};

function observations(): Map<string, RateLimitObservation> {
  holder.__passdeskAuth0RateLimits ??= new Map();
  return holder.__passdeskAuth0RateLimits;
}

/** Called by the transport for every Management API answer inside `run`. */
export function recordRateLimitHeaders(url: string, headers: { get(name: string): string | null }): void {
  const group = rateLimitGroupScope.getStore();
  // The token request inside a call has its own bucket: only /api/v2 answers describe the group.
  if (group === undefined || !url.includes("/api/v2/")) return;
  const observation = readRateLimitHeaders(headers, Date.now());
  if (!observation) return;
  const previous = observations().get(group);
  if (!previous || previous.observedAt <= observation.observedAt) observations().set(group, observation);
}

/** The latest observation of `group`, or null before the first answer. */
export function latestRateLimit(group: string): RateLimitObservation | null {
  return observations().get(group) ?? null;
}

/** Forgets every observation (tests). */
export function resetRateLimitObservations(): void {
  observations().clear();
}
