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
};

export function createStats(): Stats {
  return {
    tokensIssued: 0,
    userTokensIssued: 0,
    patches: 0,
    passwordChanges: 0,
    emailsSent: 0,
    requests: {},
  };
}

/** A sign-in session created by the password grant; a password change ends all of a user's. */
export type Session = {
  id: string;
  userId: string;
  clientId: string;
  createdAt: number;
  refreshToken?: string;
};

export class SessionStore {
  private sessions = new Map<string, Session>();
  private byRefreshToken = new Map<string, string>();

  add(session: Session): void {
    this.sessions.set(session.id, session);
    if (session.refreshToken) this.byRefreshToken.set(session.refreshToken, session.id);
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  byRefresh(token: string): Session | undefined {
    const id = this.byRefreshToken.get(token);
    return id === undefined ? undefined : this.sessions.get(id);
  }

  countForUser(userId: string): number {
    let count = 0;
    for (const s of this.sessions.values()) if (s.userId === userId) count++;
    return count;
  }

  /** Ends every session (and refresh token) of a user; returns how many ended. */
  revokeUser(userId: string): number {
    let count = 0;
    for (const [id, s] of this.sessions) {
      if (s.userId !== userId) continue;
      this.sessions.delete(id);
      if (s.refreshToken) this.byRefreshToken.delete(s.refreshToken);
      count++;
    }
    return count;
  }

  clear(): void {
    this.sessions.clear();
    this.byRefreshToken.clear();
  }
}

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
  /** `localhost:PORT`, known once the server listens. */
  domain: string;
  reseed(): Promise<void>;
};

export function issuerOf(context: TenantContext): string {
  return `https://${context.domain}/`;
}

export function managementAudienceOf(context: TenantContext): string {
  return `https://${context.domain}/api/v2/`;
}
