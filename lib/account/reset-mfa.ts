import "server-only";
import { deleteAuthenticationMethod, deleteAuthenticationMethods } from "@/lib/auth0";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import type { PasswordResult } from "@/lib/danger-zone/failures";
import { runTargetedOperation, type OperationContext } from "@/lib/danger-zone/operation";
import type { ResetMfaInput } from "@/lib/validations/account";
import { accountOperation, MFA_TARGET, type MfaTarget } from "./targets";

export type ResetMfaData = {
  userName: string;
  /** How many enrolled methods were removed. */
  methodsRemoved: number;
  /** The removed method's type when one was removed. */
  methodType: string | null;
  isAuditComplete: boolean;
};

/**
 * "I lost my phone": removes one enrolled authentication method (by id) or all of them
 * (`DELETE /api/v2/users/{id}/authentication-methods[/{id}]`). The method list is read fresh
 * first: an id that is not enrolled any more is refused, and removing "all" of none is a no-op.
 */
export async function resetMfa(
  deps: DangerZoneDeps,
  input: ResetMfaInput,
  context: OperationContext,
): Promise<PasswordResult<ResetMfaData>> {
  const methodId = input.methodId ?? null;
  return runTargetedOperation<null, Omit<ResetMfaData, "isAuditComplete">, MfaTarget>(
    deps,
    accountOperation("mfa.reset", input, context, { methodId }),
    MFA_TARGET,
    {
      prepare(target) {
        if (target.methods.length === 0) return { code: "no_change", state: "no_methods" };
        if (methodId === null)
          return { details: { mfaScope: "all", methodsRemoved: target.methods.length }, email: target.user.email };
        const method = target.methods.find((candidate) => candidate.id === methodId);
        if (!method) return { code: "method_not_found" };
        return { details: { mfaScope: "one", methodId, methodType: method.type }, email: target.user.email };
      },
      async call(target) {
        if (methodId === null) await deleteAuthenticationMethods(target.user.userId, deps.api);
        else await deleteAuthenticationMethod(target.user.userId, methodId, deps.api);
        return null;
      },
      finish(_answer, target) {
        const method = methodId === null ? null : target.methods.find((candidate) => candidate.id === methodId);
        const data = {
          userName: target.user.name,
          methodsRemoved: methodId === null ? target.methods.length : 1,
          methodType: method?.type ?? null,
        };
        return { details: { httpStatus: 204, methodsRemoved: data.methodsRemoved }, data, stored: data };
      },
    },
  );
}
