import "server-only";
import { unblockUser } from "@/lib/auth0";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import type { PasswordResult } from "@/lib/danger-zone/failures";
import { runTargetedOperation, type OperationContext } from "@/lib/danger-zone/operation";
import type { UnblockInput } from "@/lib/validations/account";
import { accountOperation, BLOCKS_TARGET, type BlockedTarget } from "./targets";

export type UnblockData = { userName: string; blocksLifted: number; isAuditComplete: boolean };

/**
 * Lifts the user's brute-force blocks (DELETE /api/v2/user-blocks/{id}). Refused, with nothing
 * sent or audited, when Auth0 lists no block. An admin block is separate (see block.ts).
 */
export async function unblockAccount(
  deps: DangerZoneDeps,
  input: UnblockInput,
  context: OperationContext,
): Promise<PasswordResult<UnblockData>> {
  return runTargetedOperation<null, Omit<UnblockData, "isAuditComplete">, BlockedTarget>(
    deps,
    accountOperation("account.unblock", input, context),
    BLOCKS_TARGET,
    {
      prepare: (target) =>
        target.blocks.length === 0
          ? { code: "no_change", state: "not_locked" }
          : { details: { blocksLifted: target.blocks.length }, email: target.user.email },
      call: async (target) => {
        await unblockUser(target.user.userId, deps.api);
        return null;
      },
      finish(_answer, target) {
        const data = { userName: target.user.name, blocksLifted: target.blocks.length };
        return { details: { httpStatus: 204, blocksLifted: data.blocksLifted }, data, stored: data };
      },
    },
  );
}
