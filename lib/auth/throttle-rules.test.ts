import { describe, expect, it } from "vitest";
import { accountDelayMs, decideThrottle, retryAt, windowStart, type FailureCounts } from "./throttle-rules";

const now = new Date("2026-01-01T12:00:00.000Z");
const none: FailureCounts = {
  forAccountAndIp: 0,
  oldestForAccountAndIp: null,
  forIp: 0,
  oldestForIp: null,
  forAccount: 0,
  lastForAccount: null,
};

describe("sign-in throttling rules", () => {
  it("counts a 15-minute window", () => {
    expect(windowStart(now).toISOString()).toBe("2026-01-01T11:45:00.000Z");
    expect(retryAt(new Date("2026-01-01T11:50:00.000Z")).toISOString()).toBe("2026-01-01T12:05:00.000Z");
  });

  it("locks one account for one IP after 10 failures, until the oldest leaves the window", () => {
    const oldest = new Date("2026-01-01T11:50:00.000Z");
    expect(decideThrottle({ ...none, forAccountAndIp: 9, forAccount: 9, oldestForAccountAndIp: oldest }, now)).toEqual({ allowed: true });
    expect(decideThrottle({ ...none, forAccountAndIp: 10, forAccount: 10, oldestForAccountAndIp: oldest }, now)).toEqual({
      allowed: false,
      kind: "locked",
      retryAt: new Date("2026-01-01T12:05:00.000Z"),
    });
  });

  it("locks an IP after 50 failures over all accounts", () => {
    const oldest = new Date("2026-01-01T11:46:00.000Z");
    expect(decideThrottle({ ...none, forIp: 49, oldestForIp: oldest }, now)).toEqual({ allowed: true });
    expect(decideThrottle({ ...none, forIp: 50, oldestForIp: oldest }, now)).toEqual({
      allowed: false,
      kind: "locked",
      retryAt: new Date("2026-01-01T12:01:00.000Z"),
    });
  });

  it("slows an account attacked from many IPs with a growing delay, capped at 30 s", () => {
    expect([9, 10, 11, 12, 13, 14, 15, 16, 40].map(accountDelayMs)).toEqual([0, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    const last = new Date("2026-01-01T11:59:58.000Z");
    // 12 failures: 4 s after the last one; 2 s have passed.
    expect(decideThrottle({ ...none, forAccount: 12, lastForAccount: last }, now)).toEqual({
      allowed: false,
      kind: "slowed",
      retryAt: new Date("2026-01-01T12:00:02.000Z"),
    });
    expect(decideThrottle({ ...none, forAccount: 12, lastForAccount: last }, new Date("2026-01-01T12:00:02.000Z"))).toEqual({ allowed: true });
    // Never a lockout for an IP that has not failed itself: the longest wait is 30 s.
    expect(decideThrottle({ ...none, forAccount: 500, lastForAccount: last }, new Date("2026-01-01T12:00:28.000Z"))).toEqual({ allowed: true });
  });
});
