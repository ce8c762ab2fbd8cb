import type { AuditEventRecord } from "./query";
import { AUDIT_HASHED_FIELDS } from "./select";

/**
 * CSV and NDJSON lines for audit exports. Pure and client-safe (no database access).
 */

export type CsvCell = string | number | boolean | bigint | Date | null | undefined;

/** Cells starting with these are run as formulas by spreadsheet apps (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "string") text = FORMULA_START.test(value) ? `'${value}` : value;
  else text = String(value); // numbers/booleans are data, never formulas (keeps -5 as -5)
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One RFC 4180 record, CRLF-terminated. */
export function toCsvLine(values: readonly CsvCell[]): string {
  return `${values.map(toCsvCell).join(",")}\r\n`;
}

/** The stored fields in their hashed order, with the displayed outcome beside the stored one. */
export const AUDIT_CSV_COLUMNS: readonly Exclude<keyof AuditEventRecord, "resolution">[] = [
  ...AUDIT_HASHED_FIELDS.flatMap((field) =>
    field === "outcome" ? (["outcome", "effectiveOutcome"] as const) : ([field] as const),
  ),
  "hash",
];

export function auditCsvHeader(): string {
  return toCsvLine(AUDIT_CSV_COLUMNS);
}

export function auditEventToCsvLine(event: AuditEventRecord): string {
  return toCsvLine(
    AUDIT_CSV_COLUMNS.map((column) => (column === "details" ? JSON.stringify(event.details) : event[column])),
  );
}

/** One NDJSON line (the pairing `resolution` included; dates as ISO strings). */
export function auditEventToNdjsonLine(event: AuditEventRecord): string {
  return `${JSON.stringify(event)}\n`;
}
