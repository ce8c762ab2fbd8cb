import "server-only";
import { signOutEverywhere, type SignOutResult } from "@/lib/auth0";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import type { PasswordResult } from "@/lib/danger-zone/failures";
import { runTargetedOperation, type OperationContext, type OperationOptions } from "@/lib/danger-zone/operation";
import type { SignOutEverywhereInput } from "@/lib/validations/account";
import { accountOperation, ACCOUNT_TARGET, type AccountTarget } from "./targets";

export type SignOutData = SignOutResult & { userName: string; isAuditComplete: boolean };

/**
 * Sign out everywhere, for an account takeover: revokes the user's refresh tokens and ends their
 * sessions (lib/auth0/sessions). The outcome event records how many of each ended. A bulk job
 * passes `options.auditDetails` (its bulkJobId) for the item's events.
 */
export async function signOutAccount(
  deps: DangerZoneDeps,
  input: SignOutEverywhereInput,
  context: OperationContext,
  options: OperationOptions = {},
): Promise<PasswordResult<SignOutData>> {
  return runTargetedOperation<SignOutResult, Omit<SignOutData, "isAuditComplete">, AccountTarget>(
    deps,
    { ...accountOperation("sessions.revoke", input, context), ...options },
    ACCOUNT_TARGET,
    {
      prepare: (target) => ({ details: {}, email: target.user.email }),
      call: (target) => signOutEverywhere(target.user.userId, deps.api),
      finish(answer, target) {
        const data = { userName: target.user.name, ...answer };
        return { details: { httpStatus: 202, ...answer }, data, stored: data };
      },
    },
  );
}
