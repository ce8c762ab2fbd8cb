import "server-only";
import { gatedTerms } from "@/lib/approvals/terms";
import type { SendResetEmailInput } from "@/lib/validations/danger-zone";
import type { DangerZoneDeps } from "./deps";
import type { PasswordResult } from "./failures";
import { maskEmail } from "./mask-email";
import { runOperation, type OperationContext, type OperationOptions } from "./operation";

export type ResetEmailData = {
  emailMasked: string;
  connection: string;
  isAuditComplete: boolean;
};

/** Sends Auth0's reset email to the user's address in their database connection. */
export async function sendResetEmail(
  deps: DangerZoneDeps,
  input: SendResetEmailInput,
  context: OperationContext,
  options: OperationOptions = {},
): Promise<PasswordResult<ResetEmailData>> {
  return runOperation<null, Omit<ResetEmailData, "isAuditComplete">>(
    deps,
    {
      action: "password.reset_email",
      ...context,
      userId: input.userId,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
      ...options,
      approvalTerms: gatedTerms(options, { operation: "password.reset_email" }),
      input: { userId: input.userId, reason: input.reason },
    },
    {
      prepare(target) {
        if (!target.user.email) return { code: "no_email" };
        return { details: { emailMasked: maskEmail(target.user.email) }, email: target.user.email };
      },
      async call(target) {
        // The email comes from the user we just read at Auth0 — it exists in this connection (also
        // for custom databases, where Auth0 would otherwise answer 200 for an unknown address).
        await deps.auth.sendPasswordResetEmail({
          email: target.user.email as string,
          connection: target.identity.connection,
          clientId: deps.resetClientId,
        });
        return null;
      },
      finish(_answer, target) {
        const data = {
          emailMasked: maskEmail(target.user.email as string),
          connection: target.identity.connection,
        };
        return { details: { httpStatus: 200, emailMasked: data.emailMasked }, data, stored: data };
      },
    },
  );
}
