import {
  Auth0CredentialsError,
  Auth0MisconfiguredError,
  Auth0RateLimitError,
  Auth0ScopeError,
  Auth0UnavailableError,
  type Auth0Error,
} from "./errors";

/**
 * Auth0's health as this process has seen it, from the outcome of the calls it made anyway — so a
 * health check costs no Auth0 request (a probe per check would spend the tenant's rate limit on
 * load balancers). Outcomes are kept per operation (`users.list`, `users.set_password`, …):
 * Auth0 is "degraded" while the latest call of any operation failed, and that operation's next
 * successful call clears it — so a working search does not hide failing password changes. A
 * failure older than STALE_AFTER_MS stops counting, so a quiet instance does not report an
 * outage that may be long over.
 */

/** "misconfigured": a recent call said the domain is not a Management API (wins over "degraded"). */
export type Auth0Health = "ok" | "degraded" | "misconfigured";

/** How long a failed operation keeps Auth0 "degraded" when it has not succeeded since. */
export const STALE_AFTER_MS = 5 * 60_000;

/** Operation name → time of its latest call, when that call failed, and whether it was a misconfiguration. */
type HealthState = Map<string, { at: number; isMisconfigured: boolean }>;

// On globalThis: Next bundles routes separately, and the health route must see the outcomes
// recorded by the users routes, pages and actions of the same process.
const holder = globalThis as typeof globalThis & { __passdeskAuth0Health?: HealthState };

function state(): HealthState {
  holder.__passdeskAuth0Health ??= new Map();
  return holder.__passdeskAuth0Health;
}

/**
 * True for failures that say something about Auth0 (or Passdesk's access to it) rather than about
 * the request: an unknown user or a bad search query is Auth0 working as it should.
 */
export function isHealthFailure(error: Auth0Error): boolean {
  return (
    error instanceof Auth0UnavailableError ||
    error instanceof Auth0MisconfiguredError ||
    error instanceof Auth0RateLimitError ||
    error instanceof Auth0CredentialsError ||
    error instanceof Auth0ScopeError
  );
}

/** Records the outcome of one Auth0 call (after retries); no `error` means it was answered. */
export function recordAuth0Outcome(operation: string, error?: Auth0Error, now = Date.now()): void {
  if (error && isHealthFailure(error))
    state().set(operation, { at: now, isMisconfigured: error instanceof Auth0MisconfiguredError });
  else state().delete(operation);
}

/**
 * "degraded" while some operation's latest call failed (within STALE_AFTER_MS); "misconfigured"
 * when one of those failures said the domain is not a Management API.
 */
export function getAuth0Health(now = Date.now()): Auth0Health {
  let health: Auth0Health = "ok";
  for (const failure of state().values()) {
    if (now - failure.at >= STALE_AFTER_MS) continue;
    if (failure.isMisconfigured) return "misconfigured";
    health = "degraded";
  }
  return health;
}

/** Forgets what was seen (tests). */
export function resetAuth0Health(): void {
  state().clear();
}
