import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackPath", () => {
  it.each([
    ["/users?q=ann", "/users?q=ann"],
    ["/operators", "/operators"],
    ["/users/auth0%7C123#history", "/users/auth0%7C123#history"],
    ["http://localhost:3000/audit", "/audit"],
  ])("keeps the same-origin path %s", (raw, expected) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe(expected);
  });

  it.each([
    // The examples, as the page receives them (already percent-decoded).
    "/\\evil.example/phish",
    "/\t/evil.example/phish",
    "/\\\\evil.example/phish",
    "//evil.example/phish",
    "https://evil.example/phish",
    "http://localhost:3000//evil.example/phish",
    "http://localhost:3001/other-port",
    "javascript:alert(1)",
    "/\n/evil.example",
    "",
  ])("sends %j to / instead", (raw) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe("/");
  });

  it("treats a missing callback as /", () => {
    expect(safeCallbackPath(undefined, ORIGIN)).toBe("/");
    expect(safeCallbackPath(null, ORIGIN)).toBe("/");
  });
});
