import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIT_STATE } from "@/lib/validations/audit";
import { emptyPageMessage } from "./empty-message";

describe("the audit page's message when a page holds no events", () => {
  it("says the log is empty only when there is nothing older either", () => {
    expect(emptyPageMessage(DEFAULT_AUDIT_STATE, null)).toBe("emptyAll");
    expect(emptyPageMessage({ ...DEFAULT_AUDIT_STATE, action: "password.set" }, null)).toBe("empty");
  });

  it("a scoped reader's page that looked at its share of rows and found none of theirs points further back", () => {
    // listVisibleAuditEvents stops after SCOPED_SCAN_LIMIT rows with a cursor: the older rows
    // have not been looked at, so "no events" would be wrong.
    expect(emptyPageMessage(DEFAULT_AUDIT_STATE, "1234")).toBe("emptyLookOlder");
    expect(emptyPageMessage({ ...DEFAULT_AUDIT_STATE, action: "password.set" }, "1234")).toBe("emptyLookOlder");
  });
});
