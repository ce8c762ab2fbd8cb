import "server-only";
import { setUserPassword } from "@/lib/auth0/password-operations";
import type { SetPasswordInput } from "@/lib/validations/danger-zone";
import type { DangerZoneDeps } from "./deps";
import type { PasswordResult } from "./failures";
import { runOperation, type OperationContext, type OperationOptions } from "./operation";
import { loadPasswordTarget } from "./target";

export type SetPasswordData = {
  userName: string;
  connection: string;
  lastPasswordReset: string | null;
  /** False when Auth0 did it but the outcome event could not be written (shown as unknown, reconciled later). */
  isAuditComplete: boolean;
};

/** Sets a database user's password (PATCH /users/{id}); the password lives only in this call. */
export async function setPassword(
  deps: DangerZoneDeps,
  input: SetPasswordInput,
  context: OperationContext,
  options: OperationOptions = {},
): Promise<PasswordResult<SetPasswordData>> {
  return runOperation<{ lastPasswordReset: string | null }, Omit<SetPasswordData, "isAuditComplete">>(
    deps,
    {
      action: "password.set",
      ...context,
      userId: input.userId,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
      ...options,
      // Not the password: a double submission carries the same one, and no hash of it is stored.
      input: { userId: input.userId, reason: input.reason, generated: input.generated },
      mustNotContain: [input.password],
    },
    {
      prepare: (target) => ({ details: { generated: input.generated }, email: target.user.email }),
      call: (target) =>
        setUserPassword(target.user.userId, input.password, target.identity.connection, deps.api),
      async recover(target, startedAt) {
        // No answer (timeout, connection reset): the PATCH may have been applied. Auth0 sets
        // last_password_reset when it is, so a value after we started proves success.
        const fresh = await loadPasswordTarget(target.user.userId, deps.api);
        const seen = fresh.kind === "database" ? fresh.user.lastPasswordReset : null;
        return seen && Date.parse(seen) >= startedAt.getTime() - 1000 ? { lastPasswordReset: seen } : null;
      },
      finish(answer, target) {
        const data = {
          userName: target.user.name,
          connection: target.identity.connection,
          lastPasswordReset: answer.lastPasswordReset,
        };
        return { details: { httpStatus: 200 }, data, stored: data };
      },
    },
  );
}
