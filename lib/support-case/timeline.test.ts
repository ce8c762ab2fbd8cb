import { describe, expect, it } from "vitest";
import {
  auditWindowFor,
  decodeTimelineCursor,
  encodeTimelineCursor,
  FIRST_CURSOR,
  mergeTimeline,
  type TimelineAuditEntry,
  type TimelineLogEntry,
} from "./timeline";

function log(id: string, time: string, type = "s"): TimelineLogEntry {
  return { kind: "log", id: `log:${id}`, time, type, description: null, ip: null, application: null, connection: null };
}

function audit(sequence: string, time: string): TimelineAuditEntry {
  return { kind: "audit", id: `audit:${sequence}`, time, action: "password.reset_email", actorEmail: "ana@passdesk.test", outcome: "SUCCEEDED", reason: "call" };
}

describe("mergeTimeline", () => {
  it("interleaves log and audit events newest first: reset email → password changed → login", () => {
    const merged = mergeTimeline(
      [log("3", "2026-12-02T14:10:00.000Z", "s"), log("2", "2026-12-02T14:09:00.000Z", "scp")],
      [audit("41", "2026-12-02T14:05:00.000Z")],
    );
    expect(merged.map((entry) => entry.id)).toEqual(["log:3", "log:2", "audit:41"]);
  });

  it("at the same millisecond the Auth0 event reads as newer than Passdesk's; duplicates are dropped", () => {
    const merged = mergeTimeline(
      [log("2", "2026-12-02T14:09:00.000Z"), log("2", "2026-12-02T14:09:00.000Z")],
      [audit("41", "2026-12-02T14:09:00.000Z")],
    );
    expect(merged.map((entry) => entry.id)).toEqual(["log:2", "audit:41"]);
  });
});

describe("auditWindowFor", () => {
  it("a full log page bounds the audit window by its oldest event", () => {
    expect(
      auditWindowFor({ events: [{ date: "2026-12-02T14:10:00.000Z" }, { date: "2026-12-02T13:00:00.000Z" }], hasMore: true }, "2026-12-02T15:00:00.000Z"),
    ).toEqual({ from: "2026-12-02T13:00:00.000Z", to: "2026-12-02T15:00:00.000Z" });
  });

  it("the last log page takes every older audit event", () => {
    expect(auditWindowFor({ events: [{ date: "2026-12-02T13:00:00.000Z" }], hasMore: false }, null)).toEqual({ from: null, to: null });
  });
});

describe("timeline cursor", () => {
  it("round-trips, and the empty cursor is the first page", () => {
    const cursor = { logPage: 2, before: "2026-12-02T13:00:00.000Z", auditCursor: null };
    expect(decodeTimelineCursor(encodeTimelineCursor(cursor))).toEqual(cursor);
    expect(decodeTimelineCursor(null)).toEqual(FIRST_CURSOR);
    expect(decodeTimelineCursor("")).toEqual({ logPage: 1, before: null, auditCursor: null });
  });

  it("refuses a cursor Passdesk did not write", () => {
    expect(decodeTimelineCursor("not a cursor!")).toBeNull();
    expect(decodeTimelineCursor(Buffer.from('{"logPage":0,"before":null,"auditCursor":null}').toString("base64url"))).toBeNull();
    expect(decodeTimelineCursor(Buffer.from('{"logPage":1,"before":null,"auditCursor":"1 OR 1=1"}').toString("base64url"))).toBeNull();
    expect(decodeTimelineCursor(Buffer.from("[]").toString("base64url"))).toBeNull();
  });
});
