/**
 * Text that is stored (audit reasons, operator names) must not carry control characters:
 * PostgreSQL refuses NUL in text columns, and the others only serve to disguise what a reader
 * sees (a right-to-left override can make a reason read backwards). Line breaks and tabs are
 * allowed where noted.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

export function hasControlCharacters(value: string, { allowLineBreaks = false } = {}): boolean {
  return (allowLineBreaks ? CONTROL : CONTROL_OR_BREAK).test(value);
}

/** The same text with control characters removed (for lenient parsing of hand-edited links). */
export function withoutControlCharacters(value: string): string {
  return value.replace(new RegExp(CONTROL_OR_BREAK.source, "g"), "");
}
