import "server-only";
import { sendVerificationEmail, type VerificationEmailJob } from "@/lib/auth0";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import type { PasswordResult } from "@/lib/danger-zone/failures";
import { maskEmail } from "@/lib/danger-zone/mask-email";
import { runTargetedOperation, type OperationContext } from "@/lib/danger-zone/operation";
import type { VerificationEmailInput } from "@/lib/validations/account";
import { accountOperation, ACCOUNT_TARGET, type AccountTarget } from "./targets";

export type VerificationEmailData = { emailMasked: string; jobId: string; isAuditComplete: boolean };

/**
 * Resends Auth0's verification email (POST /api/v2/jobs/verification-email). Nothing is sent
 * (and nothing audited) for a user whose email Auth0 already reports verified, or who has none.
 */
export async function resendVerificationEmail(
  deps: DangerZoneDeps,
  input: VerificationEmailInput,
  context: OperationContext,
): Promise<PasswordResult<VerificationEmailData>> {
  return runTargetedOperation<VerificationEmailJob, Omit<VerificationEmailData, "isAuditComplete">, AccountTarget>(
    deps,
    accountOperation("email.verification_sent", input, context),
    ACCOUNT_TARGET,
    {
      prepare(target) {
        if (!target.user.email) return { code: "no_email" };
        if (target.user.emailVerified) return { code: "no_change", state: "already_verified" };
        return { details: { emailMasked: maskEmail(target.user.email) }, email: target.user.email };
      },
      call: (target) => sendVerificationEmail(target.user.userId, {}, deps.api),
      finish(answer, target) {
        const data = { emailMasked: maskEmail(target.user.email as string), jobId: answer.jobId };
        return { details: { httpStatus: 201, jobId: answer.jobId }, data, stored: data };
      },
    },
  );
}
