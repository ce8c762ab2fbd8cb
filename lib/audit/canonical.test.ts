import { describe, expect, it } from "vitest";
import { CanonicalizationError, canonicalize } from "./canonical";

describe("canonicalize", () => {
  it("sorts object keys at every depth, so key order never changes the bytes", () => {
    expect(canonicalize({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(canonicalize({ a: { c: 3, d: 2 }, b: 1 })).toBe(canonicalize({ b: 1, a: { d: 2, c: 3 } }));
  });

  it("writes nulls explicitly and leaves undefined members out", () => {
    expect(canonicalize({ a: null, b: undefined })).toBe('{"a":null}');
    expect(canonicalize(null)).toBe("null");
  });

  it("writes dates as ISO UTC with milliseconds and bigints as strings", () => {
    expect(canonicalize(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe('"2026-01-02T03:04:05.006Z"');
    expect(canonicalize(12345678901234567890n)).toBe('"12345678901234567890"');
  });

  it("escapes strings and keeps arrays in order", () => {
    expect(canonicalize(['a"b', "line\nbreak", "ü"])).toBe('["a\\"b","line\\nbreak","ü"]');
  });

  it("normalizes -0 and refuses non-finite numbers and invalid dates", () => {
    expect(canonicalize(-0)).toBe("0");
    expect(() => canonicalize(Number.NaN)).toThrow(CanonicalizationError);
    expect(() => canonicalize(Number.POSITIVE_INFINITY)).toThrow(CanonicalizationError);
    expect(() => canonicalize(new Date("nope"))).toThrow(CanonicalizationError);
  });

  it("distinguishes values that JSON.stringify-with-insertion-order would not", () => {
    expect(canonicalize({ a: "1" })).not.toBe(canonicalize({ a: 1 }));
    expect(canonicalize({ a: null })).not.toBe(canonicalize({}));
  });
});
