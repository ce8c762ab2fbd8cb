import "server-only";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import type { AccountView } from "@/lib/users/profile";
import { LazyAccountActionDialog as AccountActionDialog, LazyResetMfaDialog as ResetMfaDialog } from "./lazy-account-dialogs";
import { UnblockButton } from "./unblock-button";

/**
 * The Account section of a user's profile (Server Component): unblock, admin block, sign out
 * everywhere, resend the verification email, reset MFA — each shown only when the operator's
 * role allows it. Renders the view the page got from lib/users/profile; reads nothing itself.
 */
export async function AccountSection({ view }: { view: AccountView | null }) {
  if (!view) return null;
  const t = await getTranslations("account");
  const user = { userId: view.userId, userName: view.name };

  return (
    <section
      aria-labelledby="account-section-title"
      className="rounded-lg border border-slate-300 bg-white p-5 dark:border-slate-700 dark:bg-slate-900"
      data-slot="account-actions"
    >
      <h2 id="account-section-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("description")}</p>
      {view.blocked ? (
        <p className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          {t("blockedNotice")}
        </p>
      ) : null}
      <ul className="mt-4 divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-700 dark:border-slate-700">
        {view.canUnblock && view.hasDatabaseIdentity ? (
          <Row heading={t("unblock.heading")} body={t("unblock.body")}>
            <UnblockButton {...user} />
          </Row>
        ) : null}
        {view.blocked && view.canUnblock ? (
          <Row heading={t("adminUnblock.heading")} body={t("adminUnblock.body")}>
            <AccountActionDialog kind="adminUnblock" {...user} />
          </Row>
        ) : null}
        {!view.blocked && view.canBlock ? (
          <Row heading={t("block.heading")} body={t("block.body")}>
            <AccountActionDialog kind="block" {...user} />
          </Row>
        ) : null}
        {view.canSignOut ? (
          <Row heading={t("signOut.heading")} body={t("signOut.body")}>
            <AccountActionDialog kind="signOut" {...user} />
          </Row>
        ) : null}
        {view.canVerifyEmail ? (
          <Row heading={t("verify.heading")} body={t("verify.body")}>
            {view.email === null ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">{t("noEmail")}</p>
            ) : view.emailVerified ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">{t("emailVerified")}</p>
            ) : (
              <AccountActionDialog kind="verify" {...user} email={view.email} />
            )}
          </Row>
        ) : null}
        {view.canResetMfa ? (
          <Row heading={t("mfa.heading")} body={t("mfa.body")}>
            <ResetMfaDialog {...user} />
          </Row>
        ) : null}
      </ul>
    </section>
  );
}

function Row({ heading, body, children }: { heading: string; body: string; children: ReactNode }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 p-4">
      <div className="min-w-0 flex-1">
        <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{heading}</h3>
        <p className="text-sm text-slate-600 dark:text-slate-400">{body}</p>
      </div>
      {children}
    </li>
  );
}
