import "server-only";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import type { DangerZoneView } from "@/lib/users/profile";
import { LazyChangePasswordDialog, LazyResetEmailDialog, LazyResetLinkDialog } from "./lazy-dialogs";

/**
 * The red Danger Zone at the bottom of a user's profile (Server Component). Renders the view
 * the page got from lib/users/profile (which actions the role allows, and the user's database
 * identity); it reads nothing itself. The server actions check both again on every submission.
 */
export async function DangerZone({ view }: { view: DangerZoneView }) {
  const t = await getTranslations("dangerZone");
  // Auditors (no password permission at all) get no actions, and a word about why.
  if (!view.canSet && !view.canEmail && !view.canTicket) {
    return (
      <section
        aria-labelledby="password-actions-title"
        className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-700 dark:bg-slate-900"
      >
        <h2 id="password-actions-title" className="text-lg font-semibold text-slate-900 dark:text-slate-100">
          {t("readOnly.title")}
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          {t("readOnly.body", { role: t(`readOnly.roles.${view.role}`) })}
        </p>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("readOnly.whom")}</p>
      </section>
    );
  }
  const { target } = view;

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
          {view.canSet ? null : <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("setOff")}</p>}
          <ul className="mt-4 divide-y divide-red-200 rounded-md border border-red-200 dark:divide-red-900 dark:border-red-900">
            {view.canSet ? (
              <DangerRow heading={t("change.heading")} body={t("change.body")}>
                <LazyChangePasswordDialog target={target} />
              </DangerRow>
            ) : null}
            {view.canEmail ? (
              <DangerRow heading={t("email.heading")} body={t("email.body")}>
                <LazyResetEmailDialog target={target} />
              </DangerRow>
            ) : null}
            {view.canTicket ? (
              <DangerRow heading={t("ticket.heading")} body={t("ticket.body")}>
                <LazyResetLinkDialog target={target} />
              </DangerRow>
            ) : null}
          </ul>
        </>
      ) : (
        <p className="mt-3 rounded-md bg-slate-50 p-3 text-sm text-slate-800 dark:bg-slate-800 dark:text-slate-200">
          {t("noDatabaseIdentity", { providers: view.providers })}
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
