import { describe, expect, it } from "vitest";
import { BULK_CSV_MAX_ROWS, parseBulkCsv } from "./csv";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("parseBulkCsv", () => {
  it("reads a column of emails with line numbers, a BOM and blank lines", () => {
    expect(parseBulkCsv(bytes("\uFEFFemail\r\nann@example.com\r\n\r\n Bob@Example.com \r\n"))).toEqual({
      ok: true,
      column: "email",
      rows: [
        { line: 2, value: "ann@example.com" },
        { line: 4, value: "Bob@Example.com" },
      ],
    });
  });

  it("reads a column of user ids (quoted cells too)", () => {
    expect(parseBulkCsv(bytes('user_id\nauth0|abc123\n"google-oauth2|42"\n'))).toEqual({
      ok: true,
      column: "user_id",
      rows: [
        { line: 2, value: "auth0|abc123" },
        { line: 3, value: "google-oauth2|42" },
      ],
    });
  });

  it.each([
    ["mail\nann@example.com\n", { code: "bad_header", found: "mail" }],
    ["email,name\nann@example.com,Ann\n", { code: "bad_header", found: "email,name" }],
    ["", { code: "empty" }],
    ["email\n", { code: "empty" }],
    ["email\nann@example.com\nbob@example.com,extra\n", { code: "malformed", line: 3 }],
    ['email\n"ann@example.com\n', { code: "malformed", line: 2 }],
    ['email\nann@example.com\n"=HYPERLINK(""http://x"")"\n', { code: "formula", lines: [3] }],
    ["email\n@SUM(A1)\n+1\n-2\n", { code: "formula", lines: [2, 3, 4] }],
    ["email\nnot-an-email\n", { code: "invalid_value", column: "email", lines: [2] }],
    ["user_id\nann@example.com\n", { code: "invalid_value", column: "user_id", lines: [2] }],
    ["email\nann@example.com\nbob@example.com\nANN@example.com\n", { code: "duplicate", lines: [2, 4] }],
  ])("refuses %j", (text, problem) => {
    expect(parseBulkCsv(bytes(text))).toEqual({ ok: false, problem });
  });

  it("refuses bytes that are not UTF-8", () => {
    const file = new Uint8Array([...bytes("email\nj"), 0xff, 0xfe, ...bytes("@example.com\n")]);
    expect(parseBulkCsv(file)).toEqual({ ok: false, problem: { code: "not_utf8" } });
  });

  it("refuses 100,000 rows and accepts exactly 50,000", () => {
    const rows = (count: number) => `email\n${Array.from({ length: count }, (_, i) => `u${i}@example.com`).join("\n")}\n`;
    expect(parseBulkCsv(bytes(rows(100_000)))).toEqual({
      ok: false,
      problem: { code: "too_many_rows", rows: 100_000, maxRows: 50_000 },
    });
    const accepted = parseBulkCsv(bytes(rows(BULK_CSV_MAX_ROWS)));
    expect(accepted.ok && accepted.rows.length).toBe(50_000);
  });
});
