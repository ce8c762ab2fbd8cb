import { describe, expect, it } from "vitest";
import { decidePasswordSet } from "./reconcile";

describe("decidePasswordSet", () => {
  const pending = new Date("2025-01-01T10:00:00.000Z");
  const now = pending.getTime();

  it("a last_password_reset at or after the pending event proves success", () => {
    expect(decidePasswordSet(pending, "2025-01-01T10:00:01.000Z", now + 1_000)).toBe("SUCCEEDED");
  });

  it("an older one proves failure once the call can no longer be in flight", () => {
    expect(decidePasswordSet(pending, "2024-12-01T00:00:00.000Z", now + 10_000)).toBeNull();
    expect(decidePasswordSet(pending, "2024-12-01T00:00:00.000Z", now + 5 * 60_000)).toBe("FAILED");
    expect(decidePasswordSet(pending, null, now + 5 * 60_000)).toBe("FAILED");
  });
});
