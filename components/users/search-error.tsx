"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { lastReachablePage } from "@/lib/auth0/types";

/** A failed search as the page shows it (from the server render or from /api/users). */
export type SearchErrorView = {
  status: number;
  code: string;
  message: string;
  retryAt: string | null;
  requestId?: string | null;
};

/** The localized message for each stable error code of /api/users (lib/users/responses.ts). */
function useSearchErrorMessage(perPage: number): (view: SearchErrorView) => string {
  const t = useTranslations("users");
  const format = useFormatter();
  return (view) => {
    switch (view.code) {
      case "invalid_query":
      case "invalid_params":
      case "upstream_misconfigured":
        return t(`errors.${view.code}`, { message: view.message });
      case "invalid_paging":
        return t("pastCap", { lastPage: lastReachablePage(perPage) });
      case "rate_limited":
        return t("errors.rate_limited", {
          time: view.retryAt ? format.dateTime(new Date(view.retryAt), { timeStyle: "medium" }) : "—",
        });
      case "too_long":
      case "unbalanced_query":
      case "upstream_unavailable":
      case "upstream_timeout":
      case "upstream_untrusted":
      case "unauthenticated":
      case "forbidden":
      case "network":
        return t(`errors.${view.code}`);
      default:
        return t("errors.internal");
    }
  };
}

/** The search's error panel: what went wrong, the reference for support, and the way out. */
export function SearchErrorAlert({
  error,
  perPage,
  action,
}: {
  error: SearchErrorView;
  perPage: number;
  action: ReactNode;
}) {
  const t = useTranslations("users");
  const message = useSearchErrorMessage(perPage);
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-semibold">{t("errors.title")}</p>
      <p className="mt-1 break-words">{message(error)}</p>
      {error.requestId ? (
        <p className="mt-1 font-mono text-xs">{t("errors.reference", { requestId: error.requestId })}</p>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">{action}</div>
    </div>
  );
}
