import { describe, expect, it } from "vitest";
import { readRateLimitHeaders } from "@/lib/auth0/rate-limit-headers";
import { delayBeforeNextCall, msPerCall } from "./rate-follower";

const NOW = 1_800_000_000_000;
const base = { now: NOW, lastStartAt: null, maxRps: 0, observations: [], blockedUntil: null };

describe("rate follower", () => {
  it("spreads the reset over the calls missing from a full bucket", () => {
    // 10 calls missing, bucket full in 5 s: one call refills every 500 ms.
    expect(msPerCall({ limit: 10, remaining: 0, resetAt: NOW + 5_000, observedAt: NOW })).toBe(500);
    expect(msPerCall({ limit: 10, remaining: 10, resetAt: NOW, observedAt: NOW })).toBe(0);
  });

  it("goes at once while calls are left", () => {
    const observation = { limit: 10, remaining: 3, resetAt: NOW + 3_500, observedAt: NOW };
    expect(delayBeforeNextCall({ ...base, observations: [observation] })).toBe(0);
  });

  it("waits one call's refill when the bucket is empty", () => {
    const observation = { limit: 20, remaining: 0, resetAt: NOW + 6_000, observedAt: NOW - 100 };
    // 6,100 ms / 20 calls = 305 ms after the observation, 100 ms of which have passed.
    expect(delayBeforeNextCall({ ...base, observations: [observation] })).toBe(205);
  });

  it("counts the runner's calls in flight as taken", () => {
    const observation = { limit: 10, remaining: 2, resetAt: NOW + 4_000, observedAt: NOW };
    // 8 missing over 4 s = 500 ms per call; 3 in flight + this one need 2 more than the 2 left.
    expect(delayBeforeNextCall({ ...base, observations: [observation], inFlight: 1 })).toBe(0);
    expect(delayBeforeNextCall({ ...base, observations: [observation], inFlight: 3 })).toBe(1_000);
  });

  it("takes the slowest group the next item uses", () => {
    const read = { limit: 40, remaining: 0, resetAt: NOW + 4_000, observedAt: NOW };
    const write = { limit: 20, remaining: 0, resetAt: NOW + 6_000, observedAt: NOW };
    expect(delayBeforeNextCall({ ...base, observations: [read, null, write] })).toBe(300);
  });

  it("never goes faster than BULK_MAX_RPS", () => {
    expect(delayBeforeNextCall({ ...base, maxRps: 4, lastStartAt: NOW - 100 })).toBe(150);
    expect(delayBeforeNextCall({ ...base, maxRps: 4, lastStartAt: NOW - 400 })).toBe(0);
  });

  it("waits out retry-after", () => {
    expect(delayBeforeNextCall({ ...base, blockedUntil: NOW + 2_000 })).toBe(2_000);
    expect(delayBeforeNextCall({ ...base, blockedUntil: NOW - 1 })).toBe(0);
  });

  it("reads Auth0's headers (reset in epoch seconds)", () => {
    const headers = new Headers({ "x-ratelimit-limit": "20", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1800000006" });
    expect(readRateLimitHeaders(headers, NOW)).toEqual({ limit: 20, remaining: 0, resetAt: NOW + 6_000, observedAt: NOW });
    expect(readRateLimitHeaders(new Headers(), NOW)).toBeNull();
    expect(readRateLimitHeaders(new Headers({ "x-ratelimit-limit": "x", "x-ratelimit-remaining": "1", "x-ratelimit-reset": "1" }), NOW)).toBeNull();
  });
});
