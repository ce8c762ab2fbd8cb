import { describe, expect, it } from "vitest";
import {
  AUDIT_CSV_COLUMNS,
  auditCsvHeader,
  auditEventToCsvLine,
  auditEventToNdjsonLine,
  toCsvCell,
  toCsvLine,
} from "./export-format";
import type { AuditEventRecord } from "./query";

describe("CSV", () => {
  it("quotes cells with commas, quotes and line breaks (RFC 4180)", () => {
    expect(toCsvLine(["plain", "a,b", 'say "hi"', "two\nlines", null, 3, true])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",,3,true\r\n',
    );
  });

  it("neutralizes spreadsheet formulas in text cells", () => {
    expect(toCsvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(toCsvCell("+1")).toBe("'+1");
    expect(toCsvCell("-1")).toBe("'-1");
    expect(toCsvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(toCsvCell("\tcmd")).toBe("'\tcmd");
    // Numbers are data, not text a user typed: left alone.
    expect(toCsvCell(-5)).toBe("-5");
  });

  it("writes dates as ISO and keeps leading/trailing spaces by quoting", () => {
    expect(toCsvCell(new Date("2026-01-01T00:00:00.000Z"))).toBe("2026-01-01T00:00:00.000Z");
    expect(toCsvCell(" padded ")).toBe('" padded "');
  });

  it("renders an audit event in header order", () => {
    const event: AuditEventRecord = {
      sequence: "12",
      time: new Date("2026-01-01T00:00:00.000Z"),
      actorOperatorId: "op1",
      actorEmail: "a@passdesk.test",
      actorRole: "SUPPORT",
      action: "password.ticket",
      outcome: "PENDING",
      relatedSequence: null,
      targetUserId: "auth0|u1",
      targetEmail: "u@example.com",
      targetConnection: "db",
      reason: "=cmd|' /C calc'!A0",
      requestId: "r1",
      ip: "10.0.0.1",
      userAgent: "UA",
      details: { ttlSec: 300 },
      prevHash: "0".repeat(64),
      hash: "f".repeat(64),
      resolution: null,
      effectiveOutcome: "UNKNOWN",
    };
    expect(auditCsvHeader()).toBe(`${AUDIT_CSV_COLUMNS.join(",")}\r\n`);
    const line = auditEventToCsvLine(event);
    expect(
      line.startsWith(
        "12,2026-01-01T00:00:00.000Z,op1,a@passdesk.test,SUPPORT,password.ticket,PENDING,UNKNOWN,,",
      ),
    ).toBe(true);
    expect(line).toContain(`"'=cmd|' /C calc'!A0"`.replace(/^"|"$/g, ""));
    expect(line).toContain('"{""ttlSec"":300}"');
    expect(JSON.parse(auditEventToNdjsonLine(event))).toMatchObject({
      sequence: "12",
      effectiveOutcome: "UNKNOWN",
    });
  });
});
