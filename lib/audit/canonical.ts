/**
 * Canonical serialization for hashing audit events: the same logical value always gives the
 * same bytes, whichever database, driver or key order it came through.
 *
 * - object keys sorted by UTF-16 code units (JSONB reorders keys, so insertion order can't count)
 * - `null` written out; `undefined` object members omitted (they cannot be stored in JSONB)
 * - Date → ISO-8601 UTC with milliseconds; bigint → decimal string
 * - numbers must be finite; -0 becomes 0 (JSON has no -0)
 * - strings JSON-escaped
 */

export type CanonicalInput =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Date
  | readonly CanonicalInput[]
  | { readonly [key: string]: CanonicalInput };

export class CanonicalizationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CanonicalizationError";
  }
}

function compareKeys(left: string, right: string): number {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

export function canonicalize(value: CanonicalInput): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalizationError(`cannot serialize number ${value}`);
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case "bigint":
      return JSON.stringify(value.toString());
    case "string":
      return JSON.stringify(value);
    default:
      break;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new CanonicalizationError("cannot serialize an invalid Date");
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item: CanonicalInput) => canonicalize(item)).join(",")}]`;
  }
  const record = value as { readonly [key: string]: CanonicalInput };
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort(compareKeys)
    .map((key) => `${JSON.stringify(key)}:${canonicalize(record[key])}`);
  return `{${members.join(",")}}`;
}
