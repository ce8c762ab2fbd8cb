import { describe, expect, it } from "vitest";
import type { AuditEventRecord } from "@/lib/audit/query";
import { displayOutcome, eventStage, toAuditEventPageView, toAuditEventView } from "./dto";

const RECORD: AuditEventRecord = {
  sequence: "41",
  time: new Date("2025-04-01T09:30:00.123Z"),
  actorOperatorId: "op-1",
  actorEmail: "support@passdesk.test",
  actorRole: "SUPPORT",
  action: "password.set",
  outcome: "PENDING",
  relatedSequence: null,
  targetUserId: "auth0|abc",
  targetEmail: "jane@example.com",
  targetConnection: "Username-Password-Authentication",
  reason: "Caller verified with ticket #123",
  requestId: "req-1",
  ip: "198.18.0.1",
  userAgent: "Chromium",
  details: { connection: "Username-Password-Authentication", generated: true },
  prevHash: "a".repeat(64),
  hash: "b".repeat(64),
  resolution: {
    sequence: "42",
    outcome: "SUCCEEDED",
    time: new Date("2025-04-01T09:30:01.000Z"),
    details: { durationMs: 120 },
  },
  effectiveOutcome: "SUCCEEDED",
};

describe("toAuditEventView", () => {
  it("keeps every stored field and turns dates into ISO strings", () => {
    const view = toAuditEventView(RECORD);
    expect(view).toEqual({
      ...RECORD,
      time: "2025-04-01T09:30:00.123Z",
      resolution: {
        sequence: "42",
        outcome: "SUCCEEDED",
        time: "2025-04-01T09:30:01.000Z",
        details: { durationMs: 120 },
      },
    });
    // Survives JSON (route handlers) unchanged.
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it("keeps a missing resolution as null", () => {
    expect(
      toAuditEventView({ ...RECORD, resolution: null, effectiveOutcome: "UNKNOWN" }).resolution,
    ).toBeNull();
  });

  it("maps pages with their cursor", () => {
    expect(toAuditEventPageView({ events: [RECORD], nextCursor: "41" })).toMatchObject({
      nextCursor: "41",
      events: [{ sequence: "41" }],
    });
  });
});

describe("displayOutcome", () => {
  it.each([
    ["SUCCEEDED", "succeeded"],
    ["FAILED", "failed"],
    ["UNKNOWN", "unknown"],
    ["PENDING", "pending"],
  ] as const)("shows %s as %s", (effectiveOutcome, expected) => {
    expect(displayOutcome({ effectiveOutcome })).toBe(expected);
  });
});

describe("eventStage", () => {
  it("tells requests, outcomes and single-shot events apart", () => {
    expect(eventStage({ outcome: "PENDING", relatedSequence: null })).toBe("request");
    expect(eventStage({ outcome: "FAILED", relatedSequence: "7" })).toBe("outcome");
    expect(eventStage({ outcome: "SUCCEEDED", relatedSequence: null })).toBe("single");
  });
});
