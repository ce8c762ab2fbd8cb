import { hasAuditFilters, type AuditSearchState } from "@/lib/validations/audit";

/**
 * Which message an audit page with no events shows (messages audit.*). A page can be empty and
 * still have older events: a scoped reader's page stops after a bounded number of rows
 * (lib/audit-view/visible.ts), and the rows below them have not been looked at yet.
 */
export function emptyPageMessage(
  state: AuditSearchState,
  nextCursor: string | null,
): "empty" | "emptyAll" | "emptyLookOlder" {
  if (nextCursor !== null) return "emptyLookOlder";
  return hasAuditFilters(state) ? "empty" : "emptyAll";
}
