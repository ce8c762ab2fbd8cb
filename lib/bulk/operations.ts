/**
 * What a bulk job can do to each user (client-safe). `sessions.revoke` (sign out everywhere)
 * joins this list once its single-user action exists (lib/danger-zone); the runner's
 * `runItem` switch then needs one more case.
 */
export const BULK_OPERATIONS = ["password.reset_email", "password.force_reset"] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

/** The message key of an operation (catalog keys contain no dots). */
export function operationMessageKey(operation: string): "reset_email" | "force_reset" {
  return operation === "password.force_reset" ? "force_reset" : "reset_email";
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
