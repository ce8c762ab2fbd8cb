/**
 * Auth0's "no personal info" rule (`password_no_personal_info`, or `password_options.profile_data`):
 * a password must not contain the user's name, username, nickname, `user_metadata.name|first|last`
 * or the part of the email before the @ (Auth0's documented list). Passdesk knows the user, so
 * the form checks this itself. Client-safe, pure.
 *
 * Auth0 does not document how "contains" is matched; this reading (case-insensitive; each value
 * and each of its parts split at spaces and . _ - +, when 3 characters or longer; an email-like
 * value by its part before the @) is the one the local tenant enforces (tenant/src/policy.ts, kept equal by hand: the tenant is its own program).
 * The given and family names are checked too, the stricter reading.
 */

/** The profile fields a value can come from (Auth0 user attribute names). */
export type ProfileFields = {
  name?: string | null;
  username?: string | null;
  nickname?: string | null;
  email?: string | null;
  given_name?: string | null;
  family_name?: string | null;
  phone_number?: string | null;
  user_metadata?: Record<string, unknown> | null;
};

const DEFAULT_FIELDS = [
  "name",
  "username",
  "nickname",
  "email",
  "given_name",
  "family_name",
  "user_metadata.name",
  "user_metadata.first",
  "user_metadata.last",
] as const;

const MIN_PART_LENGTH = 3;

function fieldValue(profile: ProfileFields, field: string): unknown {
  if (field.startsWith("user_metadata.")) return profile.user_metadata?.[field.slice("user_metadata.".length)];
  if (field === "email") return profile.email?.split("@")[0];
  return (profile as Record<string, unknown>)[field];
}

/**
 * The profile values a password must not contain, lower-cased, whole values and their parts.
 * `blockedFields` (from `password_options.profile_data`) are checked besides the default set.
 */
export function personalInfoValues(profile: ProfileFields, blockedFields: readonly string[] = []): string[] {
  const values = new Set<string>();
  for (const field of new Set<string>([...DEFAULT_FIELDS, ...blockedFields])) {
    const value = fieldValue(profile, field);
    if (typeof value !== "string") continue;
    let lower = value.toLowerCase().trim();
    // An email-like value (Auth0 sets `name` to the email when none is given) counts by its local part.
    if (lower.includes("@")) lower = lower.split("@")[0] ?? "";
    if (lower.length >= MIN_PART_LENGTH) values.add(lower);
    for (const part of lower.split(/[\s._\-+]+/)) if (part.length >= MIN_PART_LENGTH) values.add(part);
  }
  return [...values];
}

/** The first personal value the password contains, or null. */
export function findPersonalInfo(values: readonly string[], password: string): string | null {
  const candidate = password.toLowerCase();
  return values.find((value) => candidate.includes(value)) ?? null;
}
