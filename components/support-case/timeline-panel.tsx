import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import type { UserProfile } from "@/lib/auth0/types";
import { loadTimelinePage } from "@/lib/support-case/service";
import { FIRST_CURSOR } from "@/lib/support-case/timeline";
import { SignInTimeline } from "./sign-in-timeline";

/**
 * The sign-in timeline. The first page is rendered here from the log page the diagnosis already
 * read (no extra Auth0 call); older pages load in the browser.
 */
export async function TimelinePanel({ user }: { user: UserProfile }) {
  const [t, firstPage] = await Promise.all([getTranslations("supportCase"), loadTimelinePage(user.userId, FIRST_CURSOR)]);
  return (
    <Card aria-labelledby="timeline-title" data-testid="timeline">
      <h2 id="timeline-title" className="text-base font-semibold">
        {t("timeline.title")}
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{t("timeline.description")}</p>
      <SignInTimeline userId={user.userId} firstPage={firstPage} />
    </Card>
  );
}

/** What a panel shows while it loads (each panel streams in on its own). */
export function PanelSkeleton({ label }: { label: string }) {
  return (
    <Card aria-busy="true" aria-label={label}>
      <div className="h-4 w-1/3 animate-pulse rounded bg-slate-200 dark:bg-slate-700" />
      <div className="mt-3 h-3 w-2/3 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
      <div className="mt-2 h-3 w-1/2 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
    </Card>
  );
}
