import { beforeEach, describe, expect, it } from "vitest";
import { resetOperatorRateLimits, takeOperatorCall } from "./operator-rate-limit";

const LIMIT = { burst: 3, perMinute: 60 };
const T0 = 1_700_000_000_000;

beforeEach(() => resetOperatorRateLimits());

describe("takeOperatorCall", () => {
  it("allows a burst, then refuses with the seconds until the next call", () => {
    expect([1, 2, 3].map(() => takeOperatorCall("op-a", LIMIT, T0).ok)).toEqual([true, true, true]);
    expect(takeOperatorCall("op-a", LIMIT, T0)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it("keeps one budget per operator: a noisy one does not use up another's", () => {
    for (let index = 0; index < 10; index++) takeOperatorCall("noisy", LIMIT, T0);
    expect(takeOperatorCall("noisy", LIMIT, T0).ok).toBe(false);
    expect(takeOperatorCall("quiet", LIMIT, T0).ok).toBe(true);
  });

  it("refills at the configured rate, never above the burst", () => {
    for (let index = 0; index < 3; index++) takeOperatorCall("op-b", LIMIT, T0);
    expect(takeOperatorCall("op-b", LIMIT, T0 + 500).ok).toBe(false);
    expect(takeOperatorCall("op-b", LIMIT, T0 + 1_000).ok).toBe(true);
    // An hour later: the full burst again, and no more.
    const later = T0 + 3_600_000;
    expect([1, 2, 3, 4].map(() => takeOperatorCall("op-b", LIMIT, later).ok)).toEqual([true, true, true, false]);
  });

  it("says how long a slow refill takes", () => {
    const slow = { burst: 1, perMinute: 6 };
    expect(takeOperatorCall("op-c", slow, T0).ok).toBe(true);
    expect(takeOperatorCall("op-c", slow, T0)).toEqual({ ok: false, retryAfterSeconds: 10 });
  });
});
