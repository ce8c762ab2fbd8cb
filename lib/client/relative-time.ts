/**
 * Relative times that never point to the future. Three clocks meet on a page (Auth0 stamps the
 * change, the server renders "now", the browser re-renders with its own "now"), and a few seconds
 * of skew made "Updated (in 7 seconds)" right after a change. Pure; safe on client and server.
 */

/** Within this much of now (either side), a time is simply "just now". */
export const JUST_NOW_MS = 60_000;

export type RelativeTimeView = { kind: "justNow" } | { kind: "past"; date: Date };

/** How to show `date` seen from `now`: "just now" for anything ahead of the clock or under a minute old. */
export function relativeTimeView(date: Date, now: Date): RelativeTimeView {
  return now.getTime() - date.getTime() < JUST_NOW_MS ? { kind: "justNow" } : { kind: "past", date };
}
