import { CsvError, parse } from "csv-parse/sync";

/**
 * The bulk job's CSV upload: one column, `email` or `user_id`, at most BULK_CSV_MAX_ROWS rows.
 * Pure (no I/O): the whole file is checked before anything is looked up or queued, and the first
 * problem is reported with its line numbers. Nothing of a refused file is kept.
 */

export const BULK_CSV_MAX_ROWS = 50_000;
/** 50,000 rows of long emails fit comfortably; anything bigger is not a list of users. */
export const BULK_CSV_MAX_BYTES = 8 * 1024 * 1024;
/** Line numbers listed in an error (the rest are counted). */
const MAX_LINES_IN_ERROR = 5;

export type CsvColumn = "email" | "user_id";

export type CsvRow = { line: number; value: string };

export type CsvProblem =
  | { code: "too_large"; maxBytes: number }
  | { code: "not_utf8" }
  | { code: "empty" }
  | { code: "bad_header"; found: string }
  | { code: "malformed"; line: number }
  | { code: "too_many_rows"; rows: number; maxRows: number }
  | { code: "formula"; lines: number[] }
  | { code: "invalid_value"; column: CsvColumn; lines: number[] }
  | { code: "duplicate"; lines: number[] };

export type CsvParseResult = { ok: true; column: CsvColumn; rows: CsvRow[] } | { ok: false; problem: CsvProblem };

/** A spreadsheet app runs a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const EMAIL = /^[^\s@",;<>]+@[^\s@",;<>]+\.[^\s@",;<>]+$/;
/** `provider|id`, as lib/auth0's isPlausibleUserId expects. */
const USER_ID = /^[^\s|]+\|\S+$/u;
const MAX_VALUE_LENGTH = 512;

function fail(problem: CsvProblem): CsvParseResult {
  return { ok: false, problem };
}

function firstLines(lines: number[]): number[] {
  return lines.slice(0, MAX_LINES_IN_ERROR);
}

export function parseBulkCsv(bytes: Uint8Array): CsvParseResult {
  if (bytes.byteLength > BULK_CSV_MAX_BYTES) return fail({ code: "too_large", maxBytes: BULK_CSV_MAX_BYTES });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fail({ code: "not_utf8" });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { skip_empty_lines: true, relax_column_count: true, bom: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const line = error instanceof CsvError && typeof error.lines === "number" ? error.lines : 1;
    return fail({ code: "malformed", line });
  }
  const [headerRecord, ...data] = records;
  const header = headerRecord?.record;
  if (!header) return fail({ code: "empty" });
  const name = (header[0] ?? "").trim().toLowerCase();
  if (header.length !== 1 || (name !== "email" && name !== "user_id"))
    return fail({ code: "bad_header", found: header.join(",").slice(0, 100) });
  const column: CsvColumn = name;
  if (data.length === 0) return fail({ code: "empty" });
  if (data.length > BULK_CSV_MAX_ROWS)
    return fail({ code: "too_many_rows", rows: data.length, maxRows: BULK_CSV_MAX_ROWS });

  // Line numbers as a person sees them in the file (the header is line 1; blank lines count).
  const rows: CsvRow[] = data.map(({ record, info }) => ({ line: info.lines, value: record.join(",") }));
  const extraColumns = data.find(({ record }) => record.length !== 1);
  if (extraColumns) return fail({ code: "malformed", line: extraColumns.info.lines });

  const formulas = rows
    .filter((row) => FORMULA_START.test(row.value) || FORMULA_START.test(row.value.trim()))
    .map((row) => row.line);
  if (formulas.length > 0) return fail({ code: "formula", lines: firstLines(formulas) });

  const trimmed = rows.map((row) => ({ line: row.line, value: row.value.trim() }));
  const pattern = column === "email" ? EMAIL : USER_ID;
  const invalid = trimmed
    .filter((row) => row.value.length > MAX_VALUE_LENGTH || !pattern.test(row.value) || /\p{Cc}/u.test(row.value))
    .map((row) => row.line);
  if (invalid.length > 0) return fail({ code: "invalid_value", column, lines: firstLines(invalid) });

  const firstSeen = new Map<string, number>();
  const duplicates: number[] = [];
  for (const row of trimmed) {
    // Emails are case-insensitive at Auth0; user ids are not.
    const key = column === "email" ? row.value.toLowerCase() : row.value;
    const seen = firstSeen.get(key);
    if (seen === undefined) firstSeen.set(key, row.line);
    else duplicates.push(seen, row.line);
  }
  if (duplicates.length > 0) return fail({ code: "duplicate", lines: firstLines(duplicates) });

  return { ok: true, column, rows: trimmed };
}
