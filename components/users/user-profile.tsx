import type { ReactNode } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import type { UserProfile } from "@/lib/auth0/types";
import { ConnectionTypeBadge } from "./connection-badge";
import { RelativeTime } from "./relative-time";
import { UserAvatar } from "./user-avatar";
import { ScrollRegion } from "@/components/ui/scroll-region";

/** Server components for /users/[id]; each takes the profile DTO from lib/users/profile. */

export async function UserProfileHeader({ user }: { user: UserProfile }) {
  const t = await getTranslations("users");
  return (
    <header className="flex flex-wrap items-start gap-4">
      <UserAvatar name={user.name} picture={user.picture} size={64} />
      <div className="min-w-0 flex-1 space-y-1">
        <h1 className="text-xl font-semibold break-words">{user.name}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm">
          {user.email ? (
            <span className="break-all">{user.email}</span>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">{t("noEmail")}</span>
          )}
          {user.email ? (
            <Badge tone={user.emailVerified ? "green" : "neutral"}>
              {user.emailVerified ? t("verified") : t("unverified")}
            </Badge>
          ) : null}
          <ConnectionTypeBadge
            type={user.connectionType}
            label={t(`connectionTypes.${user.connectionType}`)}
          />
          {user.blocked ? <Badge tone="red">{t("blocked")}</Badge> : null}
        </p>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-slate-600 dark:text-slate-400">{t("profile.userId")}</span>
          <code
            className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all dark:bg-slate-800"
            data-testid="user-id"
          >
            {user.userId}
          </code>
          <CopyButton value={user.userId} label={t("profile.copyUserId")} />
        </div>
      </div>
      {user.blocked ? (
        <div
          role="status"
          className="w-full rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          <p className="font-semibold">{t("profile.blocked")}</p>
          <p className="mt-1">{t("profile.blockedBody")}</p>
        </div>
      ) : null}
    </header>
  );
}

function SectionTitle({ id, children }: { id: string; children: ReactNode }) {
  return (
    <h2 id={id} className="text-base font-semibold">
      {children}
    </h2>
  );
}

export async function UserIdentities({ user }: { user: UserProfile }) {
  const t = await getTranslations("users");
  return (
    <Card aria-labelledby="identities-title">
      <SectionTitle id="identities-title">{t("profile.identities.title")}</SectionTitle>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
        {user.databaseIdentity
          ? t("profile.password.database", { connection: user.databaseIdentity.connection })
          : t("profile.password.external", { provider: user.identities[0]?.connection ?? "—" })}
      </p>
      {user.identities.length === 0 ? (
        <p className="mt-3 text-sm">{t("profile.identities.none")}</p>
      ) : (
        <ScrollRegion labelledBy="identities-title" className="mt-3">
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-slate-600 uppercase dark:text-slate-300">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  {t("profile.identities.connection")}
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  {t("profile.identities.provider")}
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  {t("profile.identities.type")}
                </th>
                <th scope="col" className="py-1 font-medium">
                  {t("profile.identities.userId")}
                </th>
              </tr>
            </thead>
            <tbody>
              {user.identities.map((identity) => (
                <tr
                  key={`${identity.provider}|${identity.userId}`}
                  className="border-t border-slate-100 dark:border-slate-800"
                >
                  <td className="py-1.5 pr-3 font-mono text-xs">{identity.connection}</td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{identity.provider}</td>
                  <td className="py-1.5 pr-3">
                    <ConnectionTypeBadge type={identity.type} label={t(`connectionTypes.${identity.type}`)} />
                  </td>
                  <td className="py-1.5 font-mono text-xs break-all">{identity.userId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </Card>
  );
}

export async function UserDetails({ user }: { user: UserProfile }) {
  const t = await getTranslations("users.profile.details");
  const tu = await getTranslations("users");
  const format = await getFormatter();
  const when = (value: string | null) =>
    value ? (
      <span className="inline-flex flex-wrap gap-x-2">
        <span>{format.dateTime(new Date(value), { dateStyle: "medium", timeStyle: "medium" })}</span>
        <span className="text-slate-600 dark:text-slate-400">
          (<RelativeTime value={value} />)
        </span>
      </span>
    ) : (
      tu("never")
    );
  const rows: Array<[string, ReactNode]> = [
    [t("created"), when(user.createdAt)],
    [t("updated"), when(user.updatedAt)],
    [t("lastLogin"), when(user.lastLogin)],
    [t("lastIp"), user.lastIp ? <span className="font-mono text-xs">{user.lastIp}</span> : tu("never")],
    [t("logins"), format.number(user.loginsCount)],
    [t("lastPasswordReset"), when(user.lastPasswordReset)],
  ];
  if (user.username) rows.push([t("username"), user.username]);
  if (user.phoneNumber) rows.push([t("phone"), user.phoneNumber]);
  rows.push([t("multifactor"), user.multifactor.length > 0 ? user.multifactor.join(", ") : t("none")]);
  return (
    <Card aria-labelledby="details-title">
      <SectionTitle id="details-title">{t("title")}</SectionTitle>
      <dl className="mt-3 grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function JsonBlock({
  label,
  value,
  emptyLabel,
}: {
  label: string;
  value: Record<string, unknown>;
  emptyLabel: string;
}) {
  const isEmpty = Object.keys(value).length === 0;
  return (
    <details className="rounded-md border border-slate-200 dark:border-slate-700" open={!isEmpty}>
      <summary className="cursor-pointer px-3 py-2 text-sm font-medium">
        {label}
        {isEmpty ? <span className="ml-2 text-slate-600 dark:text-slate-400">({emptyLabel})</span> : null}
      </summary>
      <pre className="max-h-80 overflow-auto border-t border-slate-200 bg-slate-50 p-3 font-mono text-xs dark:border-slate-700 dark:bg-slate-950">
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}

export async function UserMetadata({ user }: { user: UserProfile }) {
  const t = await getTranslations("users.profile.metadata");
  return (
    <Card aria-labelledby="metadata-title">
      <SectionTitle id="metadata-title">{t("title")}</SectionTitle>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("readOnly")}</p>
      <div className="mt-3 space-y-2">
        <JsonBlock label={t("app")} value={user.appMetadata} emptyLabel={t("empty")} />
        <JsonBlock label={t("user")} value={user.userMetadata} emptyLabel={t("empty")} />
      </div>
    </Card>
  );
}

/**
 * Where the password actions (Danger Zone) and the password history panel go: children of this
 * section, e.g. `<UserActionsSection><DangerZone user={user} /><PasswordHistory userId={user.userId} /></UserActionsSection>`.
 * Until then it shows what will appear here.
 */
export async function UserActionsSection({ children }: { children?: ReactNode }) {
  const t = await getTranslations("users.profile.actions");
  return (
    <section aria-labelledby="user-actions-title" className="space-y-4" data-slot="user-actions">
      <h2 id="user-actions-title" className="text-base font-semibold">
        {t("title")}
      </h2>
      {children ?? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-700 dark:border-slate-700 dark:text-slate-300">
          {t("placeholder")}
        </p>
      )}
    </section>
  );
}
