/**
 * Token buckets, like Auth0's: each endpoint group has a burst (bucket size) and a refill rate.
 * Every response carries X-RateLimit-Limit / -Remaining / -Reset (epoch seconds).
 */

export type RateLimitGroup =
  "users:read" | "users:write" | "tickets" | "connections" | "logs" | "token" | "other";

export type BucketConfig = { burst: number; perMinute: number };

export type RateLimitConfig = {
  disabled: boolean;
  groups: Record<RateLimitGroup, BucketConfig>;
  /** /dbconnections/change_password: per (ip, email) — "1 per minute, burst 10". */
  changePassword: BucketConfig;
};

export type RateLimitOverrides = {
  disabled?: boolean;
  groups?: Partial<Record<RateLimitGroup, BucketConfig>>;
  changePassword?: BucketConfig;
};

/** Defaults like a paid (Professional) tenant, per the reference. */
export function defaultRateLimits(): RateLimitConfig {
  return {
    disabled: false,
    groups: {
      "users:read": { burst: 40, perMinute: 500 },
      "users:write": { burst: 20, perMinute: 200 },
      tickets: { burst: 20, perMinute: 200 },
      connections: { burst: 5, perMinute: 50 },
      logs: { burst: 20, perMinute: 200 },
      token: { burst: 100, perMinute: 1000 },
      other: { burst: 1000, perMinute: 10_000 },
    },
    changePassword: { burst: 10, perMinute: 1 },
  };
}

export function applyRateLimitOverrides(
  config: RateLimitConfig,
  overrides: RateLimitOverrides,
): RateLimitConfig {
  return {
    disabled: overrides.disabled ?? config.disabled,
    groups: { ...config.groups, ...overrides.groups },
    changePassword: overrides.changePassword ?? config.changePassword,
  };
}

export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the bucket is full again. */
  reset: number;
  /** Seconds until the next request would be allowed (for Retry-After on 429). */
  retryAfter: number;
};

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly config: BucketConfig,
    now: number,
  ) {
    this.tokens = config.burst;
    this.updatedAt = now;
  }

  take(now: number): RateLimitDecision {
    const perMs = this.config.perMinute / 60_000;
    this.tokens = Math.min(this.config.burst, this.tokens + (now - this.updatedAt) * perMs);
    this.updatedAt = now;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const untilFullMs = perMs > 0 ? (this.config.burst - this.tokens) / perMs : 0;
    const untilNextMs = this.tokens >= 1 || perMs <= 0 ? 0 : (1 - this.tokens) / perMs;
    return {
      allowed,
      limit: this.config.burst,
      remaining: Math.floor(this.tokens),
      reset: Math.ceil((now + untilFullMs) / 1000),
      retryAfter: Math.max(1, Math.ceil(untilNextMs / 1000)),
    };
  }
}

export class RateLimiter {
  private buckets = new Map<string, TokenBucket>();

  constructor(private config: RateLimitConfig) {}

  getConfig(): RateLimitConfig {
    return this.config;
  }

  /** Replaces the configuration and starts every bucket full again. */
  configure(config: RateLimitConfig): void {
    this.config = config;
    this.buckets.clear();
  }

  private take(key: string, config: BucketConfig, now: number): RateLimitDecision {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(config, now);
      this.buckets.set(key, bucket);
    }
    const decision = bucket.take(now);
    return this.config.disabled ? { ...decision, allowed: true } : decision;
  }

  takeGroup(group: RateLimitGroup, now = Date.now()): RateLimitDecision {
    return this.take(`group:${group}`, this.config.groups[group], now);
  }

  takeChangePassword(ip: string, email: string, now = Date.now()): RateLimitDecision {
    return this.take(`cp:${ip}:${email.toLowerCase()}`, this.config.changePassword, now);
  }
}

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(decision.limit),
    "X-RateLimit-Remaining": String(decision.remaining),
    "X-RateLimit-Reset": String(decision.reset),
  };
}

/** Unconfirmed in the reference; kept in one place so it is easy to correct. */
export const MANAGEMENT_429_BODY = {
  statusCode: 429,
  error: "Too Many Requests",
  message: "Global limit has been reached",
  errorCode: "too_many_requests",
} as const;

export const AUTHENTICATION_429_BODY = {
  error: "too_many_requests",
  error_description: "Too many requests. Please try again later.",
} as const;
