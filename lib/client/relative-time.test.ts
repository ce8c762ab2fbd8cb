import { describe, expect, it } from "vitest";
import { relativeTimeView } from "./relative-time";

const NOW = new Date("2026-03-10T12:00:00.000Z");

describe("relativeTimeView", () => {
  it.each([
    ["ahead of the browser's clock by 7 s", "2026-03-10T12:00:07.000Z"],
    ["ahead by a day (a badly set clock)", "2026-03-11T12:00:00.000Z"],
    ["exactly now", "2026-03-10T12:00:00.000Z"],
    ["59 s ago", "2026-03-10T11:59:01.000Z"],
  ])("is just now when %s", (_label, value) => {
    expect(relativeTimeView(new Date(value), NOW)).toEqual({ kind: "justNow" });
  });

  it("is in the past from one minute on", () => {
    expect(relativeTimeView(new Date("2026-03-10T11:59:00.000Z"), NOW)).toEqual({
      kind: "past",
      date: new Date("2026-03-10T11:59:00.000Z"),
    });
  });
});
