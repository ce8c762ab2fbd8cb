"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { endSessionsAction } from "@/lib/actions/security";
import { ScrollRegion } from "@/components/ui/scroll-region";

export type SessionRow = {
  handle: string;
  createdAt: string;
  lastSeenAt: string;
  authMethod: string;
  ip: string | null;
  userAgent: string | null;
  isCurrent: boolean;
};

/** The operator's open sessions; any but this one can be ended, one by one or all at once. */
export function SessionsList({ sessions }: { sessions: SessionRow[] }) {
  const t = useTranslations("security.sessions");
  const format = useFormatter();
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const others = sessions.filter((session) => !session.isCurrent).length;

  function end(handle?: string) {
    startTransition(async () => {
      const result = await endSessionsAction(handle ? { handle } : { allOthers: true });
      setMessage(result.ok ? t("ended", { count: result.data.sessionsEnded }) : result.error);
      router.refresh();
    });
  }

  return (
    <section aria-labelledby="sessions-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="sessions-title" className="font-semibold">
          {t("title")}
        </h2>
        <Button type="button" size="sm" variant="danger" disabled={isPending || others === 0} onClick={() => end()}>
          {t("endOthers")}
        </Button>
      </div>
      <ScrollRegion labelledBy="sessions-title">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
            <tr>
              <th scope="col" className="py-1 pr-3">{t("created")}</th>
              <th scope="col" className="py-1 pr-3">{t("lastSeen")}</th>
              <th scope="col" className="py-1 pr-3">{t("method")}</th>
              <th scope="col" className="py-1 pr-3">{t("from")}</th>
              <th scope="col" className="py-1 pr-3">
                <span className="sr-only">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.handle} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2 pr-3">{format.dateTime(new Date(session.createdAt), { dateStyle: "medium", timeStyle: "short" })}</td>
                <td className="py-2 pr-3">{format.dateTime(new Date(session.lastSeenAt), { dateStyle: "medium", timeStyle: "short" })}</td>
                <td className="py-2 pr-3">{session.authMethod}</td>
                <td className="max-w-xs truncate py-2 pr-3" title={session.userAgent ?? undefined}>
                  {[session.ip, session.userAgent].filter(Boolean).join(" · ") || t("unknown")}
                </td>
                <td className="py-2 pr-3">
                  {session.isCurrent ? (
                    <Badge tone="green">{t("current")}</Badge>
                  ) : (
                    <Button type="button" size="sm" variant="secondary" disabled={isPending} onClick={() => end(session.handle)}>
                      {t("end")}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p aria-live="polite" className="min-h-5 text-sm text-slate-700 dark:text-slate-300">
        {message}
      </p>
    </section>
  );
}
