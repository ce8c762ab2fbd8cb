/**
 * How long a bulk runner waits before its next item, from what Auth0 last said (pure).
 *
 * Auth0 answers every Management API call with `x-ratelimit-limit` (bucket size),
 * `x-ratelimit-remaining` (calls left) and `x-ratelimit-reset` (epoch seconds when the bucket is
 * full again), and a 429 with `retry-after`. While calls are left the runner goes at once (at
 * most BULK_MAX_RPS); with none left it waits for one call's worth of refill, estimated from the
 * same headers: (reset − now) spreads over the (limit − remaining) calls still missing.
 */

import type { RateLimitObservation } from "@/lib/auth0/rate-limit-headers";

export type PacingInput = {
  now: number;
  /** When this runner started its previous call, or null. */
  lastStartAt: number | null;
  /** The ceiling (BULK_MAX_RPS); 0 or less means none. */
  maxRps: number;
  /** Latest observation of each rate-limit group the next item will use. */
  observations: readonly (RateLimitObservation | null | undefined)[];
  /** Until when Auth0 asked us to stay away (retry-after of a 429), or null. */
  blockedUntil: number | null;
  /** Calls of this runner already on their way (not yet in any observation). Default 0. */
  inFlight?: number;
};

/** Refill time of one call, ms: the reset spread over the calls still missing from a full bucket. */
export function msPerCall(observation: RateLimitObservation): number {
  const missing = observation.limit - observation.remaining;
  const span = observation.resetAt - observation.observedAt;
  if (missing <= 0 || span <= 0) return 0;
  return span / missing;
}

/** Milliseconds to wait before the next call (0 = now). */
export function delayBeforeNextCall(input: PacingInput): number {
  let waitUntil = input.now;
  if (input.maxRps > 0 && input.lastStartAt !== null)
    waitUntil = Math.max(waitUntil, input.lastStartAt + 1000 / input.maxRps);
  if (input.blockedUntil !== null) waitUntil = Math.max(waitUntil, input.blockedUntil);
  const inFlight = input.inFlight ?? 0;
  for (const observation of input.observations) {
    if (!observation) continue;
    // Calls still in flight will take from the same bucket: count them as already taken.
    const missing = inFlight + 1 - observation.remaining;
    if (missing <= 0) continue;
    // Not enough left at observedAt: go once enough calls have refilled.
    waitUntil = Math.max(waitUntil, observation.observedAt + missing * msPerCall(observation));
  }
  return Math.max(0, Math.ceil(waitUntil - input.now));
}
