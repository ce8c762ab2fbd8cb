import { describe, expect, it } from "vitest";
import { MAX_FAILURES, THROTTLE_WINDOW_MS, isThrottled, retryAt, windowStart } from "./throttle-rules";

describe("sign-in throttling rules", () => {
  it("allows up to ten failures, refuses from then on", () => {
    expect(isThrottled({ forEmail: MAX_FAILURES - 1, forIp: 0 })).toBe(false);
    expect(isThrottled({ forEmail: MAX_FAILURES, forIp: 0 })).toBe(true);
    expect(isThrottled({ forEmail: 0, forIp: MAX_FAILURES })).toBe(true);
    expect(isThrottled({ forEmail: 3, forIp: 4 })).toBe(false);
  });

  it("counts a 15-minute window", () => {
    const now = new Date("2026-01-01T12:00:00.000Z");
    expect(windowStart(now).toISOString()).toBe("2026-01-01T11:45:00.000Z");
    expect(retryAt(new Date("2026-01-01T11:50:00.000Z")).getTime() - now.getTime()).toBe(
      THROTTLE_WINDOW_MS - 10 * 60 * 1000,
    );
  });
});
