import "server-only";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { getManagementApi, type UserProfile } from "@/lib/auth0";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { can } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { reconcilePendingPasswordSets } from "@/lib/passwords/reconcile";
import { externalProviders } from "@/lib/passwords/target";
import { ChangePasswordDialog } from "./change-password-dialog";
import { ResetEmailDialog } from "./reset-email-dialog";
import { ResetLinkDialog } from "./reset-link-dialog";
import type { DangerZoneTarget } from "./types";

/**
 * The red Danger Zone at the bottom of a user's profile (Server Component). Shows each action
 * only when the operator's role allows it and the user has a database identity; the server
 * actions check both again on every submission.
 */
export async function DangerZone({ user, operator }: { user: UserProfile; operator: OperatorIdentity }) {
  const canSet = can(operator, "password:set");
  const canEmail = can(operator, "password:reset-email");
  const canTicket = can(operator, "password:ticket");
  // Auditors (no password permission at all) see no Danger Zone.
  if (!canSet && !canEmail && !canTicket) return null;

  const t = await getTranslations("dangerZone");
  const identity = user.databaseIdentity;

  if (identity && canSet) {
    // Opportunistic: settle this user's "outcome unknown" password changes with the
    // last_password_reset we already have. Not awaited; it never throws.
    void getPrisma()
      .then((db) =>
        reconcilePendingPasswordSets(db, getManagementApi(), {
          userId: user.userId,
          knownLastPasswordReset: user.lastPasswordReset,
        }),
      )
      .catch(() => 0);
  }

  const target: DangerZoneTarget | null = identity
    ? {
        userId: user.userId,
        name: user.name,
        email: user.email,
        connection: identity.connection,
        passwordPolicy: identity.passwordPolicy,
        userInputs: [
          user.name,
          user.email,
          user.givenName,
          user.familyName,
          user.nickname,
          user.username,
        ].filter((value): value is string => typeof value === "string" && value !== ""),
      }
    : null;

  return (
    <section
      aria-labelledby="danger-zone-title"
      className="rounded-lg border-2 border-red-300 bg-white p-5 dark:border-red-800 dark:bg-slate-900"
    >
      <h2 id="danger-zone-title" className="text-lg font-semibold text-red-700 dark:text-red-400">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("description")}</p>
      {target ? (
        <>
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            {t("databaseIdentity", { connection: target.connection })}
          </p>
          <ul className="mt-4 divide-y divide-red-200 rounded-md border border-red-200 dark:divide-red-900 dark:border-red-900">
            {canSet ? (
              <DangerRow heading={t("change.heading")} body={t("change.body")}>
                <ChangePasswordDialog target={target} />
              </DangerRow>
            ) : null}
            {canEmail && target.email ? (
              <DangerRow heading={t("email.heading")} body={t("email.body")}>
                <ResetEmailDialog target={target} />
              </DangerRow>
            ) : null}
            {canTicket ? (
              <DangerRow heading={t("ticket.heading")} body={t("ticket.body")}>
                <ResetLinkDialog target={target} />
              </DangerRow>
            ) : null}
          </ul>
        </>
      ) : (
        <p className="mt-3 rounded-md bg-slate-50 p-3 text-sm text-slate-800 dark:bg-slate-800 dark:text-slate-200">
          {t("noDatabaseIdentity", {
            providers: externalProviders(user).join(", ") || user.userId.split("|")[0] || "",
          })}
        </p>
      )}
    </section>
  );
}

function DangerRow({ heading, body, children }: { heading: string; body: string; children: ReactNode }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 p-4">
      <div>
        <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{heading}</h3>
        <p className="text-sm text-slate-600 dark:text-slate-400">{body}</p>
      </div>
      {children}
    </li>
  );
}
