"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import type { SortField, UserSummary } from "@/lib/auth0/types";
import { cn } from "@/lib/utils";
import { ConnectionTypeBadge } from "./connection-badge";
import { RelativeTime } from "./relative-time";
import { UserAvatar } from "./user-avatar";

export function userHref(userId: string): string {
  return `/users/${encodeURIComponent(userId)}`;
}

const HEADER = "px-3 py-2 font-medium whitespace-nowrap";
const CELL = "px-3 py-2 align-middle";
/** Columns that only wide screens show; on a phone their content is stacked under the name. */
const WIDE = "hidden md:table-cell";
/** Emails wrap only when one cannot fit on a line of its own (never letter by letter). */
const EMAIL = "[overflow-wrap:anywhere]";

type Column = "name" | "email" | "connection" | "logins" | "lastLogin";

/** Each sortable column, the Auth0 field it sorts by and the order a first click gives. */
const SORTABLE: Record<Column, { field: SortField; first: 1 | -1 }> = {
  name: { field: "name", first: 1 },
  email: { field: "email", first: 1 },
  connection: { field: "identities.connection", first: 1 },
  logins: { field: "logins_count", first: -1 },
  lastLogin: { field: "last_login", first: -1 },
};

/** The sort as the URL writes it (`field:1|-1`), "" for Auth0's default order. */
export type TableSort = { value: string; onChange: (sort: string) => void };

function SortHeader({ column, sort, className }: { column: Column; sort?: TableSort; className?: string }) {
  const t = useTranslations("users");
  const label = t(`columns.${column}`);
  if (!sort) {
    return (
      <th scope="col" className={cn(HEADER, className)}>
        {label}
      </th>
    );
  }
  const { field, first } = SORTABLE[column];
  const direction = sort.value === `${field}:1` ? 1 : sort.value === `${field}:-1` ? -1 : 0;
  const next = direction === 0 ? first : direction === 1 ? -1 : 1;
  return (
    <th
      scope="col"
      className={cn(HEADER, className)}
      aria-sort={direction === 1 ? "ascending" : direction === -1 ? "descending" : undefined}
    >
      <button
        type="button"
        className={cn(
          "-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:text-white",
          direction !== 0 && "text-slate-900 dark:text-white",
        )}
        onClick={() => sort.onChange(`${field}:${next}`)}
      >
        {label}
        <span aria-hidden="true" className={cn("w-3 text-center", direction === 0 && "text-slate-400")}>
          {direction === 1 ? "▲" : direction === -1 ? "▼" : "↕"}
        </span>
      </button>
    </th>
  );
}

function TableHead({ sort }: { sort?: TableSort }) {
  const t = useTranslations("users.columns");
  return (
    <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs text-slate-600 uppercase dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
      <tr>
        <th scope="col" className={cn(HEADER, "w-12")}>
          <span className="sr-only">{t("avatar")}</span>
        </th>
        <SortHeader column="name" sort={sort} />
        <SortHeader column="email" sort={sort} className={WIDE} />
        <SortHeader column="connection" sort={sort} className={WIDE} />
        <SortHeader column="logins" sort={sort} className={cn(WIDE, "text-right")} />
        <SortHeader column="lastLogin" sort={sort} className={WIDE} />
        <th scope="col" className={cn(HEADER, WIDE)}>
          {t("status")}
        </th>
      </tr>
    </thead>
  );
}

function EmailLine({ user }: { user: UserSummary }) {
  const t = useTranslations("users");
  if (!user.email) return <span className="text-slate-500 dark:text-slate-400">{t("noEmail")}</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className={EMAIL}>{user.email}</span>
      {user.emailVerified ? (
        <Badge tone="green" title={t("verified")}>
          <span aria-hidden="true">✓</span>
          <span className="sr-only">{t("verified")}</span>
        </Badge>
      ) : (
        <Badge tone="neutral">{t("unverified")}</Badge>
      )}
    </span>
  );
}

function ConnectionLine({ user }: { user: UserSummary }) {
  const t = useTranslations("users");
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className={cn("font-mono text-xs", EMAIL)}>{user.connection ?? "—"}</span>
      <ConnectionTypeBadge type={user.connectionType} label={t(`connectionTypes.${user.connectionType}`)} />
    </span>
  );
}

/**
 * The users table. Each row is one real link to the profile (the name's <a>, stretched over the
 * row with ::after), so a click anywhere on the row, a middle-click or "open in new tab" work as
 * for any link, and nothing interactive is nested in it. ↑/↓ move focus from row to row and
 * Enter follows it. Hovering or focusing a row prefetches that user and the profile route.
 * Below `md` the row shows the avatar and the name with email, connection and logins under it.
 */
export function UserTable({
  users,
  isBusy,
  onPrefetch,
  sort,
}: {
  users: UserSummary[];
  isBusy: boolean;
  onPrefetch: (userId: string) => void;
  sort?: TableSort;
}) {
  const t = useTranslations("users");
  const router = useRouter();

  function onKeyDown(event: KeyboardEvent<HTMLTableElement>) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = Array.from(event.currentTarget.querySelectorAll<HTMLAnchorElement>("a[data-user-link]"));
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index === -1) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? Math.min(index + 1, links.length - 1) : index - 1;
    if (next < 0) {
      // Up from the first row goes back to the search box.
      document.querySelector<HTMLInputElement>('form[role="search"] input[name="q"]')?.focus();
      return;
    }
    links[next]?.focus();
  }

  function prefetch(userId: string) {
    onPrefetch(userId);
    router.prefetch(userHref(userId));
  }

  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <table
        className={cn("w-full text-sm transition-opacity", isBusy && "opacity-60")}
        aria-busy={isBusy}
        onKeyDown={onKeyDown}
      >
        <caption className="sr-only">
          {t("tableCaption")}. {t("keyboardHint")}
        </caption>
        <TableHead sort={sort} />
        <tbody>
          {users.map((user) => (
            <tr
              key={user.userId}
              className="relative cursor-pointer border-b border-slate-100 last:border-0 focus-within:bg-indigo-50 hover:bg-slate-50 dark:border-slate-800 dark:focus-within:bg-indigo-950 dark:hover:bg-slate-800"
              onMouseEnter={() => prefetch(user.userId)}
            >
              <td className={cn(CELL, "align-top md:align-middle")}>
                <UserAvatar name={user.name} picture={user.picture} />
              </td>
              <td className={cn(CELL, "font-medium")}>
                <Link
                  href={userHref(user.userId)}
                  data-user-link=""
                  prefetch={false}
                  onFocus={() => prefetch(user.userId)}
                  className="rounded text-indigo-800 underline-offset-2 outline-none after:absolute after:inset-0 after:rounded-sm hover:underline focus-visible:underline focus-visible:after:outline-2 focus-visible:after:-outline-offset-2 focus-visible:after:outline-indigo-600 dark:text-indigo-200"
                >
                  {user.name}
                </Link>
                <div className="mt-1 space-y-1 font-normal text-slate-700 md:hidden dark:text-slate-300">
                  <div>
                    <EmailLine user={user} />
                  </div>
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
                    <ConnectionLine user={user} />
                    <span>{t("table.logins", { count: user.loginsCount })}</span>
                    <span>
                      {user.lastLogin ? <RelativeTime value={user.lastLogin} /> : t("never")}
                    </span>
                    {user.blocked ? <Badge tone="red">{t("blocked")}</Badge> : null}
                  </div>
                </div>
              </td>
              <td className={cn(CELL, WIDE)}>
                <EmailLine user={user} />
              </td>
              <td className={cn(CELL, WIDE)}>
                <ConnectionLine user={user} />
              </td>
              <td className={cn(CELL, WIDE, "text-right tabular-nums")}>{user.loginsCount}</td>
              <td className={cn(CELL, WIDE, "whitespace-nowrap")}>
                {user.lastLogin ? <RelativeTime value={user.lastLogin} /> : <span>{t("never")}</span>}
              </td>
              <td className={cn(CELL, WIDE)}>{user.blocked ? <Badge tone="red">{t("blocked")}</Badge> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Placeholder rows while the first results load (same columns, so nothing jumps). */
export function UserTableSkeleton({ rows }: { rows: number }) {
  const t = useTranslations("users");
  return (
    <div
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900"
      aria-busy="true"
    >
      <table className="w-full text-sm">
        <caption className="sr-only">{t("loading")}</caption>
        <TableHead />
        <tbody>
          {Array.from({ length: rows }, (_, index) => (
            <tr key={index} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td className={CELL}>
                <Skeleton className="size-8 rounded-full" />
              </td>
              <td className={CELL}>
                <Skeleton className="h-4 w-32" />
              </td>
              <td className={cn(CELL, WIDE)}>
                <Skeleton className="h-4 w-48" />
              </td>
              <td className={cn(CELL, WIDE)}>
                <Skeleton className="h-4 w-28" />
              </td>
              <td className={cn(CELL, WIDE, "text-right")}>
                <Skeleton className="h-4 w-8" />
              </td>
              <td className={cn(CELL, WIDE)}>
                <Skeleton className="h-4 w-20" />
              </td>
              <td className={cn(CELL, WIDE)} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
