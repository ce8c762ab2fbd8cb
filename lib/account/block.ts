import "server-only";
import { setUserBlocked } from "@/lib/auth0";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import type { PasswordResult } from "@/lib/danger-zone/failures";
import { runTargetedOperation, type OperationContext } from "@/lib/danger-zone/operation";
import type { AdminUnblockInput, BlockInput } from "@/lib/validations/account";
import { accountOperation, ACCOUNT_TARGET, type AccountTarget } from "./targets";

export type BlockData = { userName: string; blocked: boolean; isAuditComplete: boolean };

/** Sets (`block`) or clears (`unblock`) the admin block: PATCH /api/v2/users/{id} `{ blocked }`. */
function setBlocked(
  deps: DangerZoneDeps,
  input: BlockInput | AdminUnblockInput,
  context: OperationContext,
  blocked: boolean,
): Promise<PasswordResult<BlockData>> {
  return runTargetedOperation<{ blocked: boolean }, Omit<BlockData, "isAuditComplete">, AccountTarget>(
    deps,
    accountOperation(blocked ? "account.block" : "account.admin_unblock", input, context, { blocked }),
    ACCOUNT_TARGET,
    {
      prepare: (target) =>
        target.user.blocked === blocked
          ? { code: "no_change", state: blocked ? "already_blocked" : "not_blocked" }
          : { details: {}, email: target.user.email },
      call: (target) => setUserBlocked(target.user.userId, blocked, deps.api),
      finish(answer, target) {
        const data = { userName: target.user.name, blocked: answer.blocked };
        return { details: { httpStatus: 200 }, data, stored: data };
      },
    },
  );
}

/** An admin block: the user cannot sign in at all until it is lifted. */
export function blockAccount(
  deps: DangerZoneDeps,
  input: BlockInput,
  context: OperationContext,
): Promise<PasswordResult<BlockData>> {
  return setBlocked(deps, input, context, true);
}

/** Lifts an admin block (brute-force locks are lifted by unblockAccount). */
export function adminUnblockAccount(
  deps: DangerZoneDeps,
  input: AdminUnblockInput,
  context: OperationContext,
): Promise<PasswordResult<BlockData>> {
  return setBlocked(deps, input, context, false);
}
