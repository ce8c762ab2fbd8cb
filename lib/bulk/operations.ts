/**
 * What a bulk job can do to each user (client-safe): the two password operations and sign out
 * everywhere (`sessions.revoke`, lib/account/sign-out.ts). Each has one case in the runner's
 * `runItem` switch.
 */
export const BULK_OPERATIONS = ["password.reset_email", "password.force_reset", "sessions.revoke"] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

/** The message key of an operation (catalog keys contain no dots). */
export function operationMessageKey(operation: string): "reset_email" | "force_reset" | "sign_out" {
  if (operation === "sessions.revoke") return "sign_out";
  return operation === "password.force_reset" ? "force_reset" : "reset_email";
}

/**
 * Whether the operation needs a database password: social/enterprise-only users are skipped for
 * the password operations, but can be signed out everywhere like anyone else.
 */
export function needsDatabaseIdentity(operation: BulkOperation): boolean {
  return operation !== "sessions.revoke";
}

/** At most this many users from a search (Auth0's search returns no more than 1,000). */
export const BULK_SEARCH_MAX_USERS = 1_000;

/** How each input row resolved in the preview; only `matched` rows run. */
export const PREVIEW_STATUSES = ["matched", "unknown", "ambiguous", "duplicate", "not_database"] as const;
export type PreviewStatus = (typeof PREVIEW_STATUSES)[number];

export type PreviewRow = {
  /** 1-based order (the CSV line number for uploads). */
  position: number;
  input: string;
  status: PreviewStatus;
  userId: string | null;
  /** Connection(s) of the user found, for the preview table. */
  connection: string | null;
};

export type PreviewCounts = Record<PreviewStatus, number>;

export function countPreview(rows: readonly Pick<PreviewRow, "status">[]): PreviewCounts {
  const counts: PreviewCounts = { matched: 0, unknown: 0, ambiguous: 0, duplicate: 0, not_database: 0 };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}
