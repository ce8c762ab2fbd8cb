/**
 * The audit log must never hold a secret. Details are therefore allow-listed (unknown keys are
 * dropped), limited to scalars, and every string is checked for things that look like a
 * password, a reset link, a ticket or a token — those are refused, not stored.
 */

export type AuditDetailValue = string | number | boolean | null;
export type AuditDetails = Record<string, AuditDetailValue>;
/** What callers may pass; `undefined` members are simply left out. */
export type AuditDetailsInput = Readonly<Record<string, AuditDetailValue | undefined>>;

/** Keys that may appear in `details`. Adding one is a deliberate, reviewed change. */
export const AUDIT_DETAIL_KEYS = [
  /** Reset-ticket lifetime in seconds. */
  "ttlSec",
  /** When a ticket expires (ISO time). */
  "expiresAt",
  /** HTTP status Auth0 answered with. */
  "httpStatus",
  /** Auth0's error code (e.g. `PasswordStrengthError`). */
  "auth0ErrorCode",
  /** Auth0's error message (checked for secrets like every string). */
  "auth0Message",
  /** Auth0 connection name. */
  "connection",
  /** Masked email (j***@example.com), e.g. where a reset email was sent. */
  "emailMasked",
  /** The form's idempotency key, to tie a double submission to one operation. */
  "idempotencyKey",
  /** How an outcome was reconciled (`last_password_reset`). */
  "reconciledFrom",
  /** Auth0's `last_password_reset` seen during reconciliation (ISO time). */
  "lastPasswordReset",
  /** Passdesk's own error code for a failure (`timeout`, `rate_limited`, `upstream_error`, …). */
  "errorCode",
  /** Duration of the upstream call in milliseconds. */
  "durationMs",
  /** Seconds Auth0 asked us to wait (429). */
  "retryAfterSec",
  /** Whether the generated password was used (never the password itself). */
  "generated",
  /** Ticket option: mark the email as verified. */
  "markEmailAsVerified",
  /** Ticket option: where the reset page sends the user afterwards (a host on RESET_RESULT_URL_HOSTS; never the link itself). */
  "resultUrl",
  /** Role changes of an operator. */
  "previousRole",
  "newRole",
  /** How an operator authenticated (sign-in, step-up): `password`, `password+totp`, `password+recovery_code`, `passkey`, `password+passkey`, `oidc`. */
  "method",
  /** Which MFA factor an event is about: `totp`, `passkey`, `recovery_codes`, `all`. */
  "factor",
  /** Passkey label chosen by the operator. */
  "passkeyName",
  /** Recovery codes still unused after this event. */
  "recoveryCodesLeft",
  /** How many sessions an event ended. */
  "sessionsEnded",
  /** Why a sign-in failed: `bad_credentials`, `disabled`, `throttled`, `bad_second_factor`, `replayed_code`, `bad_passkey`. */
  "failureReason",
  /** Where an operator change came from when not from the web UI (`cli`), and the OS user who ran it. */
  "via",
  "osUser",
  /** Export format and row count. */
  "format",
  "rowCount",
  /** Audit export: the operator whose scope the "targets within the scope of" filter used. */
  "scopeOf",
  /** The OIDC issuer of an SSO sign-in (or of an operator created or re-roled by it). */
  "issuer",
  /** Bulk jobs: the job an item or job event belongs to, its operation, and item counts. */
  "bulkJobId",
  "bulkOperation",
  "itemCount",
  "succeededCount",
  "failedCount",
  "skippedCount",
  "cancelledCount",
  /** Protected users: the approval request an event belongs to (approval.*, and the password action that used it) and its operation. */
  "approvalId",
  "approvalOperation",
  /** Account actions: brute-force blocks lifted by an unblock. */
  "blocksLifted",
  /** Sign out everywhere: what ended (counted just before the deletes). */
  "refreshTokensRevoked",
  /** Password set: whether the operator also asked to sign the user out everywhere. */
  "signOutEverywhere",
  /** MFA reset: `one` or `all`, the removed method's id and type, and how many went. */
  "mfaScope",
  "methodId",
  "methodType",
  "methodsRemoved",
  /** Verification email: Auth0's job id. */
  "jobId",
  /** Scope changes of an operator (operator.scope_changed): the scope key (StoredScope JSON) before and after; null = the whole tenant, "invalid" = unreadable. */
  "previousScope",
  "newScope",
  /** The acting operator's scope key when it is limited (lib/scope/types.ts scopeKey; "invalid" when unreadable). */
  "actorScope",
] as const;

export type AuditDetailKey = (typeof AUDIT_DETAIL_KEYS)[number];

const ALLOWED_KEYS: ReadonlySet<string> = new Set(AUDIT_DETAIL_KEYS);

/** Strings longer than this are cut: upstream messages must not bloat the log. */
export const MAX_DETAIL_STRING_LENGTH = 1_000;

/**
 * Patterns that mean "this string carries a secret". Deliberately broad: a false positive costs
 * a redacted detail, a false negative leaks a password.
 */
const SECRET_PATTERNS: readonly { pattern: RegExp; label: string }[] = [
  { pattern: /\b(pass(word)?|passwd|pwd)\s*[=:]/i, label: "a password assignment" },
  { pattern: /(^|[?&#/])ticket[=/]/i, label: "a reset ticket" },
  { pattern: /\/lo\/reset\b|\/reset-password\b|\/u\/reset-password\b/i, label: "a reset link" },
  {
    pattern: /[?&#](code|token|access_token|id_token|refresh_token|client_secret)=/i,
    label: "a token in a URL",
  },
  { pattern: /\bbearer\s+[a-z0-9._~+/-]{8,}/i, label: "a bearer token" },
  { pattern: /\beyJ[a-z0-9_-]{5,}\.eyJ[a-z0-9_-]{5,}\./i, label: "a JWT" },
  { pattern: /client_secret|\$argon2(id|i|d)\$/i, label: "a credential" },
];

export class UnsafeAuditValueError extends Error {
  constructor(
    readonly field: string,
    readonly label: string,
  ) {
    // Never echo the value: it is the secret.
    super(`Refusing to write ${label} into the audit log (field "${field}")`);
    this.name = "UnsafeAuditValueError";
  }
}

/** Describes why `value` looks like a secret, or returns undefined if it does not. */
export function findSecretLike(value: string, mustNotContain: readonly string[] = []): string | undefined {
  for (const forbidden of mustNotContain) {
    if (forbidden.length > 0 && value.includes(forbidden)) return "a value that must not be logged";
  }
  return SECRET_PATTERNS.find(({ pattern }) => pattern.test(value))?.label;
}

/** Throws UnsafeAuditValueError when a free-text field (reason, user agent…) looks like a secret. */
export function assertSafeText(
  field: string,
  value: string | null | undefined,
  mustNotContain: readonly string[] = [],
): void {
  if (!value) return;
  const label = findSecretLike(value, mustNotContain);
  if (label) throw new UnsafeAuditValueError(field, label);
}

export type SanitizeMode = "throw" | "redact";
export const REDACTED = "[redacted]";

/**
 * Keeps only allow-listed keys with scalar values; cuts long strings. A secret-looking string
 * throws (mode "throw", for events written before an operation — fail-closed) or is replaced by
 * "[redacted]" (mode "redact", for outcome events that must be recorded whatever Auth0 said).
 */
export function sanitizeAuditDetails(
  input: AuditDetailsInput | null | undefined,
  options: { mode?: SanitizeMode; mustNotContain?: readonly string[] } = {},
): AuditDetails {
  const mode = options.mode ?? "throw";
  const result: AuditDetails = {};
  if (!input) return result;
  for (const [key, value] of Object.entries(input)) {
    if (!ALLOWED_KEYS.has(key) || value === undefined) continue;
    if (typeof value === "number") {
      // JSONB round-trips only what a JS number can hold exactly; anything else would break hashes.
      if (Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) result[key] = value;
      continue;
    }
    if (typeof value === "boolean" || value === null) {
      result[key] = value;
      continue;
    }
    if (typeof value !== "string") continue;
    // JSONB rejects NUL; other control characters have no business in the log either.
    const cleaned = value
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
      .slice(0, MAX_DETAIL_STRING_LENGTH);
    const label = findSecretLike(cleaned, options.mustNotContain);
    if (label) {
      if (mode === "throw") throw new UnsafeAuditValueError(`details.${key}`, label);
      result[key] = REDACTED;
      continue;
    }
    result[key] = cleaned;
  }
  return result;
}
