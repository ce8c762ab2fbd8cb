"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import { relativeTimeView } from "@/lib/client/relative-time";

/**
 * "3 days ago", with the exact date and time as the tooltip (title) and in `dateTime`. Never in
 * the future: a time ahead of this clock (skew between Auth0, the server and the browser) is
 * "just now". The server and the browser may disagree on "now", hence the hydration opt-out.
 */
export function RelativeTime({ value }: { value: string }) {
  const format = useFormatter();
  const t = useTranslations("users.relativeTime");
  const now = useNow({ updateInterval: 60_000 });
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{value}</span>;
  const exact = format.dateTime(date, { dateStyle: "medium", timeStyle: "medium" });
  const view = relativeTimeView(date, now);
  return (
    <time dateTime={date.toISOString()} title={exact} suppressHydrationWarning>
      {view.kind === "justNow" ? t("justNow") : format.relativeTime(view.date, now)}
    </time>
  );
}
