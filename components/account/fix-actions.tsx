import type { ReactNode } from "react";
import type { FixAction } from "@/lib/support-case/diagnosis";
import type { AccountView } from "@/lib/users/profile";
import { LazyAccountActionDialog as AccountActionDialog } from "./lazy-account-dialogs";
import { UnblockButton } from "./unblock-button";

/**
 * The buttons the sign-in diagnosis offers next to its cause, for what this operator may do:
 * the same dialogs as the Account section (each server action checks the permission again).
 * "Reset password" has no button here: the Danger Zone below is the place for it.
 */
export function diagnosisFixActions(view: AccountView | null): Partial<Record<FixAction, ReactNode>> {
  if (!view) return {};
  const user = { userId: view.userId, userName: view.name };
  return {
    ...(view.canUnblock && view.hasDatabaseIdentity ? { unblock: <UnblockButton {...user} /> } : {}),
    ...(view.canUnblock && view.blocked ? { admin_unblock: <AccountActionDialog kind="adminUnblock" {...user} /> } : {}),
    ...(view.canVerifyEmail && view.email !== null && !view.emailVerified
      ? { resend_verification: <AccountActionDialog kind="verify" {...user} email={view.email} /> }
      : {}),
  };
}
