import "server-only";
import { signOutAccount, type SignOutData } from "@/lib/account/sign-out";
import { derivedIdempotencyKey } from "@/lib/account/targets";
import { gatedTerms } from "@/lib/approvals/terms";
import { setUserPassword } from "@/lib/auth0/password-operations";
import { can } from "@/lib/auth/can";
import type { SetPasswordInput } from "@/lib/validations/danger-zone";
import type { DangerZoneDeps } from "./deps";
import { failure, type PasswordFailure, type PasswordResult } from "./failures";
import { runOperation, type OperationContext, type OperationOptions } from "./operation";
import { loadPasswordTarget } from "./target";

/** The action's input; callers without the option (tests, tools) may leave it out. */
type SetPasswordRequest = Omit<SetPasswordInput, "signOutEverywhere"> & { signOutEverywhere?: boolean | undefined };

export type SetPasswordData = {
  userName: string;
  connection: string;
  lastPasswordReset: string | null;
  /** False when Auth0 did it but the outcome event could not be written (shown as unknown, reconciled later). */
  isAuditComplete: boolean;
  /** With "sign out everywhere": what ended, or why it could not (the password is set either way). */
  signOut?: { ok: true; data: SignOutData } | { ok: false; failure: PasswordFailure };
};

/**
 * Sets a database user's password and, when asked (the dialog's default, for account
 * takeovers), then signs the user out everywhere as its own audited operation
 * (`sessions.revoke`, same reason, a key derived from this one). The option needs
 * `sessions:revoke`, checked here before anything is sent.
 */
export async function setPassword(
  deps: DangerZoneDeps,
  input: SetPasswordRequest,
  context: OperationContext,
  options: OperationOptions = {},
): Promise<PasswordResult<SetPasswordData>> {
  if (input.signOutEverywhere && !can(context.operator, "sessions:revoke"))
    return failure({ code: "not_permitted", permission: "sessions:revoke" });
  const result = await setPasswordOnly(deps, input, context, options);
  if (!result.ok || !input.signOutEverywhere) return result;
  const signOut = await signOutAccount(
    deps,
    {
      userId: input.userId,
      reason: input.reason,
      idempotencyKey: derivedIdempotencyKey(input.idempotencyKey, "password.set/sessions.revoke"),
    },
    context,
  );
  return { ok: true, data: { ...result.data, signOut } };
}

/** Sets a database user's password (PATCH /users/{id}); the password lives only in this call. */
async function setPasswordOnly(
  deps: DangerZoneDeps,
  input: SetPasswordRequest,
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
      approvalTerms: gatedTerms(options, { operation: "password.set", signOutEverywhere: input.signOutEverywhere === true }),
      // Not the password: a double submission carries the same one, and no hash of it is stored.
      input: {
        userId: input.userId,
        reason: input.reason,
        generated: input.generated,
        ...(input.signOutEverywhere ? { signOutEverywhere: true } : {}),
      },
      mustNotContain: [input.password],
    },
    {
      prepare: (target) => ({
        details: { generated: input.generated, ...(input.signOutEverywhere ? { signOutEverywhere: true } : {}) },
        email: target.user.email,
      }),
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
