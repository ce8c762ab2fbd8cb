"use server";

import { adminUnblockAccount, blockAccount } from "@/lib/account/block";
import { listMfaMethods } from "@/lib/account/mfa-methods";
import { resetMfa } from "@/lib/account/reset-mfa";
import { signOutAccount } from "@/lib/account/sign-out";
import { unblockAccount } from "@/lib/account/unblock";
import { resendVerificationEmail } from "@/lib/account/verification-email";
import { getDangerZoneDeps, type DangerZoneDeps } from "@/lib/danger-zone/deps";
import type { PasswordResult } from "@/lib/danger-zone/failures";
import {
  adminUnblockSchema,
  blockSchema,
  listMfaSchema,
  resetMfaSchema,
  signOutEverywhereSchema,
  unblockSchema,
  verificationEmailSchema,
} from "@/lib/validations/account";
import { action, defineActions, type ActionContext, type ActionResult } from "./safe-action";
import { toActionFailure } from "./to-action-failure";

/** Runs one lib/account service with the request's deps and localizes its failure. */
function viaService<Input, Data>(
  service: (deps: DangerZoneDeps, input: Input, context: ActionContext) => Promise<PasswordResult<Data>>,
) {
  return async (input: Input, context: ActionContext): Promise<ActionResult<Data>> => {
    const result = await service(await getDangerZoneDeps(), input, context);
    return result.ok ? { ok: true, data: result.data } : toActionFailure(result.failure);
  };
}

/**
 * The Account section's actions (support cases): each has its own permission, a reason,
 * fail-closed audit and idempotency (lib/account, on the Danger Zone operation skeleton).
 */

/** Lifts a brute-force lock (DELETE /api/v2/user-blocks/{id}). */
export const { unblockAccountAction } = defineActions({ unblockAccountAction: action(
  "account:unblock",
  unblockSchema,
  viaService(unblockAccount),
) });

/** Blocks the user (PATCH blocked: true); admin only. */
export const { blockAccountAction } = defineActions({ blockAccountAction: action(
  "account:block",
  blockSchema,
  viaService(blockAccount),
) });

/** Lifts an admin block (PATCH blocked: false). */
export const { adminUnblockAccountAction } = defineActions({ adminUnblockAccountAction: action(
  "account:unblock",
  adminUnblockSchema,
  viaService(adminUnblockAccount),
) });

/** Ends the user's sessions and revokes their refresh tokens; answers how many. */
export const { signOutEverywhereAction } = defineActions({ signOutEverywhereAction: action(
  "sessions:revoke",
  signOutEverywhereSchema,
  viaService(signOutAccount),
) });

/** Resends the verification email (POST /api/v2/jobs/verification-email). */
export const { resendVerificationEmailAction } = defineActions({ resendVerificationEmailAction: action(
  "email:verify",
  verificationEmailSchema,
  viaService(resendVerificationEmail),
) });

/** The user's enrolled MFA methods, for the Reset MFA dialog (read only; no audit event). */
export const { listMfaMethodsAction } = defineActions({ listMfaMethodsAction: action(
  "mfa:reset",
  listMfaSchema,
  async (input, { operator }) => {
    const result = await listMfaMethods(await getDangerZoneDeps(), input.userId, operator.scope);
    return result.ok ? { ok: true, data: result.data } : toActionFailure(result.failure);
  },
) });

/** Removes one MFA method (`methodId`) or all of them. */
export const { resetMfaAction } = defineActions({ resetMfaAction: action(
  "mfa:reset",
  resetMfaSchema,
  viaService(resetMfa),
) });
