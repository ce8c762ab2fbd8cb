"use server";

import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { decidePasswordApproval, requestPasswordApproval, type ApprovalFailure } from "@/lib/approvals/password-approvals";
import { getDangerZoneDeps } from "@/lib/danger-zone/deps";
import { getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/server-env";
import { decidePasswordApprovalSchema, requestPasswordApprovalSchema } from "@/lib/validations/approvals";
import { action, actionFailure, defineActions, type ActionFailure } from "./safe-action";
import { fourEyesActionFailure } from "./four-eyes-failure";
import { toActionFailure as toPasswordActionFailure } from "./to-action-failure";

/** One localized message per way an approval request or decision can be refused (messages/<locale>/approvals.json). */
async function toActionFailure(failure: ApprovalFailure): Promise<ActionFailure> {
  const t = await getTranslations("approvals.errors");
  switch (failure.code) {
    case "not_protected":
      return actionFailure("conflict", t("notProtected"));
    case "target":
      return toPasswordActionFailure(failure.failure);
    default:
      return fourEyesActionFailure(failure, t);
  }
}

/**
 * Asks another admin to approve a password action on a protected user. The wrapper checks that
 * the operator may read users; the service checks the operation's own permission (password:set,
 * password:reset-email or password:ticket) and that the user is protected, read fresh from Auth0.
 */
export const { requestPasswordApprovalAction } = defineActions({ requestPasswordApprovalAction: action(
  "users:read",
  requestPasswordApprovalSchema,
  async (input, actor) => {
    const result = await requestPasswordApproval(await getDangerZoneDeps(), input, actor, { approvalTtlSec: getEnv().APPROVAL_TTL });
    if (!result.ok) return toActionFailure(result.error);
    revalidatePath("/approvals");
    return result;
  },
) });

/** Four-eyes: approve or reject someone else's request (the service refuses one's own). */
export const { decidePasswordApprovalAction } = defineActions({ decidePasswordApprovalAction: action(
  "approvals:decide",
  decidePasswordApprovalSchema,
  async (input, actor) => {
    const result = await decidePasswordApproval(await getPrisma(), input, actor, { approvalTtlSec: getEnv().APPROVAL_TTL });
    if (!result.ok) return toActionFailure(result.error);
    revalidatePath("/approvals");
    return result;
  },
) });
