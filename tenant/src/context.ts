import type { SigningKeys } from "./auth/keys.ts";
import type { BruteForceProtection } from "./brute-force.ts";
import type { TenantClock } from "./clock.ts";
import type { FaultInjector } from "./faults.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { TenantStore } from "./store.ts";

export type Stats = {
  tokensIssued: number;
  userTokensIssued: number;
  patches: number;
  passwordChanges: number;
  emailsSent: number;
  requests: Record<string, number>;
  /** 429s the rate limiter answered, by route (injected 429 faults not counted). */
  rateLimited: Record<string, number>;
};

export function createStats(): Stats {
  return {
    tokensIssued: 0,
    userTokensIssued: 0,
    patches: 0,
    passwordChanges: 0,
    emailsSent: 0,
    requests: {},
    rateLimited: {},
  };
}

export { SessionStore, type Session } from "./sessions.ts";
import type { SessionStore } from "./sessions.ts";

/** Everything a handler needs; one per running tenant. */
export type TenantContext = {
  store: TenantStore;
  keys: SigningKeys;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  stats: Stats;
  sessions: SessionStore;
  /** Brute-force protection counters and blocks (in memory). */
  bruteForce: BruteForceProtection;
  /** Clock of the day-long rules (brute-force expiry); the control API moves it forward. */
  clock: TenantClock;
  controlToken: string;
  /**
   * Scopes the tenant treats as not granted, in every Management API token, old or new (set by
   * `PUT /__control/scopes`): how tests take a scope away from the app without a new token.
   */
  withheldScopes: Set<string>;
  /** `localhost:PORT`, known once the server listens. */
  domain: string;
  /** Epoch ms; drives reset-link expiry. Tests inject one (TenantOptions.now) instead of sleeping. */
  now(): number;
  reseed(): Promise<void>;
};

export function issuerOf(context: TenantContext): string {
  return `https://${context.domain}/`;
}

export function managementAudienceOf(context: TenantContext): string {
  return `https://${context.domain}/api/v2/`;
}
