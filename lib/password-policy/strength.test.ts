import { afterEach, describe, expect, it, vi } from "vitest";
import { loadStrengthEstimator } from "./strength";

describe("strength estimate", () => {
  it("scores common and personal passwords low and long random ones high", async () => {
    const estimate = await loadStrengthEstimator();
    expect(estimate("")).toBe(0);
    expect(estimate("password1")).toBeLessThanOrEqual(1);
    expect(estimate("Yamada2024!", ["yamada", "taro.yamada@example.jp"])).toBeLessThanOrEqual(2);
    expect(estimate("tq9-Vr2#xLm8@pWz4!")).toBe(4);
  });

  it("loads the dictionaries once: every caller, concurrent or later, gets the same estimator", async () => {
    const [first, second] = await Promise.all([loadStrengthEstimator(), loadStrengthEstimator()]);
    const later = await loadStrengthEstimator();
    expect(second).toBe(first);
    expect(later).toBe(first);
  });
});

describe("strength estimate after a failed chunk load", () => {
  afterEach(() => {
    vi.doUnmock("@zxcvbn-ts/language-common");
    vi.resetModules();
  });

  it("tries again on the next call instead of keeping the failure", async () => {
    vi.resetModules();
    let isOffline = true;
    vi.doMock("@zxcvbn-ts/language-common", async (importOriginal) => {
      if (isOffline) throw new Error("Loading chunk failed");
      return importOriginal();
    });
    const { loadStrengthEstimator: load } = await import("./strength");
    await expect(load()).rejects.toThrow();
    isOffline = false;
    const estimate = await load();
    expect(estimate("tq9-Vr2#xLm8@pWz4!")).toBe(4);
  });
});
