import { describe, expect, it } from "vitest";
import { loadStrengthEstimator } from "./strength";

describe("strength estimate", () => {
  it("scores common and personal passwords low and long random ones high", async () => {
    const estimate = await loadStrengthEstimator();
    expect(estimate("")).toBe(0);
    expect(estimate("password1")).toBeLessThanOrEqual(1);
    expect(estimate("Yamada2024!", ["yamada", "taro.yamada@example.jp"])).toBeLessThanOrEqual(2);
    expect(estimate("tq9-Vr2#xLm8@pWz4!")).toBe(4);
  });

  it("loads the dictionaries once", async () => {
    const [first, second] = await Promise.all([loadStrengthEstimator(), loadStrengthEstimator()]);
    expect(first("correct horse battery staple")).toBe(second("correct horse battery staple"));
  });
});
