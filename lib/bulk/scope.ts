import "server-only";
import { findUsersByEmail, type ManagementApi } from "@/lib/auth0";
import type { PrismaClient } from "@/lib/db";
import { usersInScope } from "@/lib/scope/resolve";
import type { OperatorScope } from "@/lib/scope/types";
import { needsDatabaseIdentity, type BulkOperation, type PreviewRow } from "./operations";

/**
 * Bulk jobs and scoped operators (issue 16). A scoped requester's preview shows only users in
 * their scope: a search source is AND-ed with the scope (lib/bulk/preview.ts), and every row
 * naming a user outside it becomes "unknown", exactly as if Auth0 had not found the user. The
 * runner needs nothing more: each item runs the Danger Zone skeleton with the requester as actor,
 * which re-checks the user against the requester's scope at that moment (an item whose user left
 * the scope fails `not_found`, like a deleted user). An approver must cover every item to approve.
 */

/** What a row becomes when its user is outside the requester's scope. */
function unknownRow(row: PreviewRow): PreviewRow {
  return { ...row, status: "unknown", userId: null, connection: null };
}

/**
 * An email that matched several users: re-decided among the requester's users only, so the
 * preview does not tell that someone outside the scope shares the address.
 */
async function rejudgeAmbiguous(
  api: ManagementApi,
  scope: OperatorScope,
  row: PreviewRow,
  operation: BulkOperation,
): Promise<PreviewRow> {
  const users = await findUsersByEmail(row.input, api);
  const allowed = await usersInScope(scope, users.map((user) => user.userId), api);
  const mine = users.filter((user) => allowed.has(user.userId));
  if (mine.length > 1) return row;
  const [user] = mine;
  if (!user) return unknownRow(row);
  return {
    ...row,
    status: user.databaseIdentity || !needsDatabaseIdentity(operation) ? "matched" : "not_database",
    userId: user.userId,
    connection: user.databaseIdentity?.connection ?? user.connection ?? null,
  };
}

/**
 * The preview as a scoped requester may see it (unchanged without a scope). Throws Auth0Error
 * when Auth0 cannot be asked, like the preview itself. Rows of a search source outside the scope
 * (only possible when a user changed between the search and this check) are left out, not shown:
 * their input is the user id.
 */
export async function scopePreviewRows(
  api: ManagementApi,
  scope: OperatorScope | null,
  rows: readonly PreviewRow[],
  source: "csv" | "search",
  operation: BulkOperation,
): Promise<PreviewRow[]> {
  if (scope === null) return [...rows];
  const named = rows.flatMap((row) => (row.userId ? [row.userId] : []));
  const allowed = await usersInScope(scope, named, api);
  if (source === "search")
    return rows.filter((row) => row.userId && allowed.has(row.userId)).map((row, index) => ({ ...row, position: index + 1 }));
  const scoped: PreviewRow[] = [];
  for (const row of rows) {
    if (row.status === "ambiguous") scoped.push(await rejudgeAmbiguous(api, scope, row, operation));
    else scoped.push(row.userId && !allowed.has(row.userId) ? unknownRow(row) : row);
  }
  return scoped;
}

/**
 * Whether an approver's scope covers every user the job would act on (its queued items).
 * Always true without a scope; checked fresh at Auth0 (batched), before the decision.
 */
export async function approverCoversJob(
  db: PrismaClient,
  api: ManagementApi,
  scope: OperatorScope | null,
  jobId: string,
): Promise<boolean> {
  if (scope === null) return true;
  const items = await db.bulkJobItem.findMany({ where: { jobId, status: "QUEUED" }, select: { userId: true } });
  const userIds = [...new Set(items.flatMap((item) => (item.userId ? [item.userId] : [])))];
  if (userIds.length === 0) return true;
  const allowed = await usersInScope(scope, userIds, api);
  return userIds.every((id) => allowed.has(id));
}
