import { describe, expect, it } from "vitest";
import { isAuthenticationFresh } from "./step-up";

const at = new Date("2026-04-01T08:00:00.000Z");
const minutes = (value: number) => new Date(at.getTime() + value * 60_000);
const settings = { windowMinutes: 10 };

describe("step-up freshness", () => {
  it("is fresh for STEP_UP_MINUTES after an authentication, then stale", () => {
    expect(isAuthenticationFresh({ authenticatedAt: at, now: minutes(0), email: "a@x.test", settings })).toBe(true);
    expect(isAuthenticationFresh({ authenticatedAt: at, now: minutes(9.99), email: "a@x.test", settings })).toBe(true);
    expect(isAuthenticationFresh({ authenticatedAt: at, now: minutes(10), email: "a@x.test", settings })).toBe(false);
    expect(isAuthenticationFresh({ authenticatedAt: at, now: minutes(-1), email: "a@x.test", settings })).toBe(false);
  });

  it("the demo-only test hook makes matching operators' sign-in stale; a later step-up counts as usual", () => {
    const hook = { windowMinutes: 10, staleEmailSuffix: "@stale.e2e.passdesk.test" };
    expect(isAuthenticationFresh({ authenticatedAt: at, signedInAt: at, now: at, email: "x@stale.e2e.passdesk.test", settings: hook })).toBe(false);
    expect(isAuthenticationFresh({ authenticatedAt: at, now: at, email: "x@stale.e2e.passdesk.test", settings: hook })).toBe(false);
    expect(isAuthenticationFresh({ authenticatedAt: at, signedInAt: at, now: at, email: "x@e2e.passdesk.test", settings: hook })).toBe(true);
    const steppedUp = minutes(3);
    expect(isAuthenticationFresh({ authenticatedAt: steppedUp, signedInAt: at, now: minutes(4), email: "x@stale.e2e.passdesk.test", settings: hook })).toBe(true);
    expect(isAuthenticationFresh({ authenticatedAt: steppedUp, signedInAt: at, now: minutes(13), email: "x@stale.e2e.passdesk.test", settings: hook })).toBe(false);
  });
});
