/**
 * `jane.doe@example.com` → `j***e@example.com`: enough for an operator to confirm where a reset
 * email went, not enough to read the address off a screen share. Pure; safe anywhere.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const characters = Array.from(local);
  const masked =
    characters.length <= 2
      ? `${characters[0] ?? ""}***`
      : `${characters[0]}***${characters[characters.length - 1]}`;
  return `${masked}@${domain}`;
}
