"use client";

import { useFormatter, useNow } from "next-intl";

/**
 * "3 days ago", with the exact date and time as the tooltip (title) and in `dateTime`. The
 * server and the browser may disagree on "now" by a few seconds, hence the hydration opt-out.
 */
export function RelativeTime({ value }: { value: string }) {
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{value}</span>;
  const exact = format.dateTime(date, { dateStyle: "medium", timeStyle: "medium" });
  return (
    <time dateTime={date.toISOString()} title={exact} suppressHydrationWarning>
      {format.relativeTime(date, now)}
    </time>
  );
}
