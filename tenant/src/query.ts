import { ApiError } from "./http.ts";

/** Query-string helpers with Auth0's validation messages. */

function queryError(message: string): ApiError {
  return new ApiError(400, `Query validation error: ${message}`, "invalid_query_string");
}

export function integerParam(
  url: URL,
  name: string,
  options: { min: number; max: number; fallback: number; description?: string },
): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return options.fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < options.min || value > options.max) {
    throw queryError(
      `'Invalid value "${raw}", expected a number between ${options.min} and ${options.max}' on property ${name}${options.description ? ` (${options.description})` : ""}.`,
    );
  }
  return value;
}

export function booleanParam(url: URL, name: string, fallback: boolean): boolean {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw queryError(`'Expected type boolean but found type string' on property ${name}.`);
}

export type SortSpec = { path: string[]; direction: 1 | -1 };

export function sortParam(url: URL): SortSpec | null {
  const raw = url.searchParams.get("sort");
  if (raw === null || raw === "") return null;
  const match = /^([a-zA-Z0-9_.\-]+):(1|-1)$/.exec(raw);
  if (!match?.[1])
    throw queryError(`'String does not match pattern ^(([a-zA-Z\\-_.])+)(:(1|-1))$' on property sort.`);
  return { path: match[1].split("."), direction: match[2] === "1" ? 1 : -1 };
}

function valueAt(record: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of path) {
    if (Array.isArray(value)) value = value[0];
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return Array.isArray(value) ? value[0] : value;
}

/** Sorts by one field; records without the field come last in both directions (as in Elasticsearch). */
export function sortRecords<T extends object>(records: T[], spec: SortSpec): T[] {
  const keyed = records.map((record) => ({
    record,
    key: valueAt(record as Record<string, unknown>, spec.path),
  }));
  keyed.sort((a, b) => {
    const aMissing = a.key === undefined || a.key === null;
    const bMissing = b.key === undefined || b.key === null;
    if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
    const x = typeof a.key === "string" ? a.key.toLowerCase() : (a.key as number);
    const y = typeof b.key === "string" ? b.key.toLowerCase() : (b.key as number);
    return x < y ? -spec.direction : x > y ? spec.direction : 0;
  });
  return keyed.map((k) => k.record);
}

/** `fields` + `include_fields` projection. */
export function projectFields<T extends object>(url: URL, record: T): Partial<T> {
  const raw = url.searchParams.get("fields");
  if (raw === null || raw.trim() === "") return record;
  const fields = new Set(
    raw
      .split(",")
      .map((f) => f.trim())
      .filter(Boolean),
  );
  const include = url.searchParams.get("include_fields") !== "false";
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(record)) {
    if (fields.has(key) === include) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Rejects body properties outside `allowed`, with Auth0's payload validation message. */
export function rejectUnknownProperties(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      `Payload validation error: 'Additional properties not allowed: ${unknown.join(",")}'.`,
      "invalid_body",
    );
  }
}

export function payloadTypeError(property: string, expected: string, actual: unknown): ApiError {
  const found = Array.isArray(actual) ? "array" : actual === null ? "null" : typeof actual;
  return new ApiError(
    400,
    `Payload validation error: 'Expected type ${expected} but found type ${found}' on property ${property}.`,
    "invalid_body",
  );
}
