"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import type { UserSummary } from "@/lib/auth0/types";
import { cn } from "@/lib/utils";
import { ConnectionTypeBadge } from "./connection-badge";
import { RelativeTime } from "./relative-time";
import { UserAvatar } from "./user-avatar";

export function userHref(userId: string): string {
  return `/users/${encodeURIComponent(userId)}`;
}

const HEADER = "px-3 py-2 font-medium";
const CELL = "px-3 py-2 align-middle";

function TableHead() {
  const t = useTranslations("users.columns");
  return (
    <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs text-slate-600 uppercase dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
      <tr>
        <th scope="col" className={cn(HEADER, "w-12")}>
          <span className="sr-only">{t("avatar")}</span>
        </th>
        <th scope="col" className={HEADER}>
          {t("name")}
        </th>
        <th scope="col" className={HEADER}>
          {t("email")}
        </th>
        <th scope="col" className={HEADER}>
          {t("connection")}
        </th>
        <th scope="col" className={cn(HEADER, "text-right")}>
          {t("logins")}
        </th>
        <th scope="col" className={HEADER}>
          {t("lastLogin")}
        </th>
        <th scope="col" className={HEADER}>
          {t("status")}
        </th>
      </tr>
    </thead>
  );
}

/**
 * The users table. Each name is a real link (works without JavaScript, opens in a new tab);
 * ↑/↓ move focus from link to link and Enter follows it. Hovering or focusing a row prefetches
 * that user and the profile route.
 */
export function UserTable({
  users,
  isBusy,
  onPrefetch,
}: {
  users: UserSummary[];
  isBusy: boolean;
  onPrefetch: (userId: string) => void;
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
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <table
        className={cn("w-full text-sm transition-opacity", isBusy && "opacity-60")}
        aria-busy={isBusy}
        onKeyDown={onKeyDown}
      >
        <caption className="sr-only">
          {t("tableCaption")}. {t("keyboardHint")}
        </caption>
        <TableHead />
        <tbody>
          {users.map((user) => (
            <tr
              key={user.userId}
              className="border-b border-slate-100 last:border-0 focus-within:bg-indigo-50 hover:bg-slate-50 dark:border-slate-800 dark:focus-within:bg-indigo-950 dark:hover:bg-slate-800"
              onMouseEnter={() => prefetch(user.userId)}
            >
              <td className={CELL}>
                <UserAvatar name={user.name} picture={user.picture} />
              </td>
              <td className={cn(CELL, "font-medium")}>
                <Link
                  href={userHref(user.userId)}
                  data-user-link=""
                  prefetch={false}
                  onFocus={() => prefetch(user.userId)}
                  className="rounded text-indigo-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-200"
                >
                  {user.name}
                </Link>
              </td>
              <td className={CELL}>
                {user.email ? (
                  <span className="inline-flex flex-wrap items-center gap-1.5">
                    <span className="break-all">{user.email}</span>
                    {user.emailVerified ? (
                      <Badge tone="green" title={t("verified")}>
                        <span aria-hidden="true">✓</span>
                        <span className="sr-only">{t("verified")}</span>
                      </Badge>
                    ) : (
                      <Badge tone="neutral">{t("unverified")}</Badge>
                    )}
                  </span>
                ) : (
                  <span className="text-slate-500 dark:text-slate-400">{t("noEmail")}</span>
                )}
              </td>
              <td className={CELL}>
                <span className="inline-flex flex-wrap items-center gap-1.5">
                  <span className="font-mono text-xs">{user.connection ?? "—"}</span>
                  <ConnectionTypeBadge
                    type={user.connectionType}
                    label={t(`connectionTypes.${user.connectionType}`)}
                  />
                </span>
              </td>
              <td className={cn(CELL, "text-right tabular-nums")}>{user.loginsCount}</td>
              <td className={CELL}>
                {user.lastLogin ? <RelativeTime value={user.lastLogin} /> : <span>{t("never")}</span>}
              </td>
              <td className={CELL}>{user.blocked ? <Badge tone="red">{t("blocked")}</Badge> : null}</td>
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
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900"
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
              <td className={CELL}>
                <Skeleton className="h-4 w-48" />
              </td>
              <td className={CELL}>
                <Skeleton className="h-4 w-28" />
              </td>
              <td className={cn(CELL, "text-right")}>
                <Skeleton className="h-4 w-8" />
              </td>
              <td className={CELL}>
                <Skeleton className="h-4 w-20" />
              </td>
              <td className={CELL} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
