import "server-only";
import { getEnv } from "@/lib/server-env";

/**
 * A per-operator budget for Passdesk's own route handlers and server actions, so one operator
 * (a stuck script, 200 parallel searches) cannot use up the capacity — and the Auth0 rate limit
 * behind it — that every other operator shares. A token bucket per operator: `burst` calls at
 * once, refilled at `perMinute`; a call over budget is answered 429 with Retry-After.
 *
 * Kept in this process's memory, not in PostgreSQL, on purpose: it is about fairness between
 * operators on an instance, not a security boundary. A database round trip (and a row lock on a
 * hot row) on every call would slow every request and add load to the shared database exactly
 * when one operator floods it. With N instances an operator can spend up to N budgets; the
 * Auth0 budget is protected separately by the shared "Auth0 busy" gate (lib/auth0/busy-gate.ts).
 */

export type OperatorRateLimit = { burst: number; perMinute: number };

type Bucket = { tokens: number; updatedAt: number };

/** Buckets idle this long are full again anyway; dropping them bounds the map's size. */
const IDLE_MS = 10 * 60_000;

// On globalThis: Next bundles each route separately, and they must share one budget per operator.
const holder = globalThis as typeof globalThis & { __passdeskOperatorBuckets?: Map<string, Bucket> };

function buckets(): Map<string, Bucket> {
  holder.__passdeskOperatorBuckets ??= new Map();
  return holder.__passdeskOperatorBuckets;
}

let lastSweep = 0;

function sweep(now: number): void {
  if (now - lastSweep < IDLE_MS) return;
  lastSweep = now;
  for (const [key, bucket] of buckets()) if (now - bucket.updatedAt > IDLE_MS) buckets().delete(key);
}

/**
 * Takes one call from the operator's budget. `{ ok: true }`, or the seconds until one call is
 * available again (at least 1, for Retry-After).
 */
export function takeOperatorCall(
  operatorId: string,
  limit: OperatorRateLimit,
  now = Date.now(),
): { ok: true } | { ok: false; retryAfterSeconds: number } {
  sweep(now);
  const refillPerMs = limit.perMinute / 60_000;
  const current = buckets().get(operatorId);
  const tokens = current
    ? Math.min(limit.burst, current.tokens + (now - current.updatedAt) * refillPerMs)
    : limit.burst;
  if (tokens >= 1) {
    buckets().set(operatorId, { tokens: tokens - 1, updatedAt: now });
    return { ok: true };
  }
  buckets().set(operatorId, { tokens, updatedAt: now });
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000)) };
}

/** Forgets every budget (tests). */
export function resetOperatorRateLimits(): void {
  buckets().clear();
}

/** This deployment's per-operator budget (OPERATOR_RATE_LIMIT_BURST / _PER_MINUTE). */
export function operatorRateLimitFromEnv(): OperatorRateLimit {
  const env = getEnv();
  return { burst: env.OPERATOR_RATE_LIMIT_BURST, perMinute: env.OPERATOR_RATE_LIMIT_PER_MINUTE };
}
