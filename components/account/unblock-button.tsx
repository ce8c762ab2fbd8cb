"use client";

import { LazyAccountActionDialog as AccountActionDialog } from "./lazy-account-dialogs";

/**
 * The "lift brute-force lock" button with its dialog (reason → confirm → result), for any place
 * that knows a user is locked — e.g. the sign-in diagnosis. Render it only for an operator with
 * `account:unblock` (`can(operator, "account:unblock")`); the server action checks again.
 *
 * Props: `userId` — the Auth0 user id; `userName` — the name shown in the dialog.
 * After a successful unblock, closing the dialog refreshes the page (router.refresh()).
 */
export function UnblockButton({ userId, userName }: { userId: string; userName: string }) {
  return <AccountActionDialog kind="unblock" userId={userId} userName={userName} />;
}
