import "server-only";
import { Auth0Error, type ManagementApi } from "@/lib/auth0";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { PrismaClient } from "@/lib/db";
import { failureFromAuth0Error, type PasswordFailure } from "@/lib/danger-zone/failures";
import { isProtectedUser, type ProtectedUsers } from "./protected-users";
import { isSameTerms, termsOfRow, type ApprovalTerms } from "./terms";

/**
 * The gate of a password operation on a protected user (lib/danger-zone/operation.ts): the
 * approval is used up at the moment of the action, never earlier (lib/approvals/password-approvals.ts
 * creates and decides requests).
 */

/** What a password operation on a protected user got from its approval. */
export type Admission =
  | { ok: true; approvalId: string | null; release(): Promise<void> }
  | { ok: false; failure: PasswordFailure };

const NOTHING_TO_RELEASE = async () => undefined;

/**
 * Called by the Danger Zone operation with the user it just read: for an unprotected user,
 * admitted without an approval; for a protected one, only with an approved, unexpired, unused
 * request of this operator for exactly these terms, which is used up here (one conditional
 * update: the second of two tabs finds nothing). `release` gives it back when the operation
 * then did nothing at Auth0 (audit refused, Auth0 refused).
 */
export async function admitApprovedOperation(
  deps: { db: PrismaClient; api: ManagementApi; protection?: ProtectedUsers | undefined },
  input: { operator: OperatorIdentity; user: { userId: string; identities: readonly { connection: string }[] }; terms: ApprovalTerms },
  now = new Date(),
): Promise<Admission> {
  let isProtected: boolean;
  try {
    isProtected = await isProtectedUser(input.user, deps.protection, deps.api);
  } catch (error) {
    if (error instanceof Auth0Error) return { ok: false, failure: failureFromAuth0Error(error) };
    throw error;
  }
  if (!isProtected) return { ok: true, approvalId: null, release: NOTHING_TO_RELEASE };
  const candidates = await deps.db.passwordApproval.findMany({
    where: {
      userId: input.user.userId,
      requestedById: input.operator.id,
      operation: input.terms.operation,
      status: { in: ["APPROVED", "AWAITING_APPROVAL"] },
      expiresAt: { gt: now },
    },
    select: { id: true, operation: true, terms: true, status: true },
    orderBy: { createdAt: "asc" },
  });
  const matching = candidates.filter((row) => {
    const stored = termsOfRow(row);
    return stored !== null && isSameTerms(stored, input.terms);
  });
  for (const row of matching.filter((candidate) => candidate.status === "APPROVED")) {
    const { count } = await deps.db.passwordApproval.updateMany({
      where: { id: row.id, status: "APPROVED", requestedById: input.operator.id, expiresAt: { gt: now } },
      data: { status: "USED", usedAt: now },
    });
    if (count === 1) {
      return {
        ok: true,
        approvalId: row.id,
        release: async () => {
          await deps.db.passwordApproval
            .updateMany({ where: { id: row.id, status: "USED", usedAt: now }, data: { status: "APPROVED", usedAt: null } })
            .catch(() => undefined);
        },
      };
    }
  }
  return {
    ok: false,
    failure: { code: "approval_required", isPending: matching.some((row) => row.status === "AWAITING_APPROVAL") },
  };
}
