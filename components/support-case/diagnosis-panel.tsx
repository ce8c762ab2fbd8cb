import type { ReactNode } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import type { UserProfile } from "@/lib/auth0/types";
import type { FixAction } from "@/lib/support-case/diagnosis";
import { loadDiagnosis } from "@/lib/support-case/service";
import { describePanelError } from "./describe-error";

const TONES = {
  alert: "border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
  warn: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100",
  info: "border-slate-200 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100",
} as const;

/**
 * The sign-in diagnosis, first thing on the profile: one plain sentence with the most likely
 * cause, the facts behind it and what fixes it. `fixActions` is the slot for the button of the
 * fixing action (the case actions wire theirs: unblock, admin_unblock, reset_password,
 * resend_verification); without one, the hint text alone says what to do.
 */
export async function DiagnosisPanel({
  user,
  fixActions = {},
}: {
  user: UserProfile;
  fixActions?: Partial<Record<FixAction, ReactNode>>;
}) {
  const [t, format, view] = await Promise.all([getTranslations("supportCase"), getFormatter(), loadDiagnosis(user)]);
  const time = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "medium" });
  const { diagnosis } = view;
  const facts: string[] = [];
  let headline: string;
  let fix: string;
  let tone: keyof typeof TONES = "alert";
  switch (diagnosis.cause) {
    case "admin_blocked":
      headline = t("diagnosis.admin_blocked.headline");
      fix = t("diagnosis.admin_blocked.fix");
      break;
    case "brute_force_locked":
      headline = t("diagnosis.brute_force_locked.headline");
      if (diagnosis.lockedAt) facts.push(t("diagnosis.brute_force_locked.when", { time: time(diagnosis.lockedAt) }));
      if (diagnosis.attempts > 0) facts.push(t("diagnosis.brute_force_locked.attempts", { count: diagnosis.attempts }));
      facts.push(
        diagnosis.ips.length > 0
          ? t("diagnosis.brute_force_locked.ips", { ips: diagnosis.ips.join(", ") })
          : t("diagnosis.brute_force_locked.allIps"),
      );
      fix = t("diagnosis.brute_force_locked.fix");
      break;
    case "external_only": {
      const providers = diagnosis.providers.join(", ") || "—";
      headline = t("diagnosis.external_only.headline", { providers });
      fix = t("diagnosis.external_only.fix", { providers });
      tone = "info";
      break;
    }
    case "wrong_password":
      headline = t("diagnosis.wrong_password.headline", { count: diagnosis.attempts, time: time(diagnosis.lastAttemptAt) });
      if (diagnosis.ips.length > 0) facts.push(t("diagnosis.wrong_password.ips", { ips: diagnosis.ips.join(", ") }));
      fix = t("diagnosis.wrong_password.fix");
      tone = "warn";
      break;
    case "email_unverified":
      headline = t("diagnosis.email_unverified.headline", { email: diagnosis.email ?? "—" });
      fix = t("diagnosis.email_unverified.fix");
      tone = "warn";
      break;
    case "no_recent_failures":
      headline = t("diagnosis.no_recent_failures.headline");
      if (!diagnosis.logsChecked) facts.push(t("diagnosis.no_recent_failures.unchecked"));
      fix = t("diagnosis.no_recent_failures.fix");
      tone = "info";
      break;
  }
  const unread: string[] = [];
  if (view.logsError) unread.push(t("diagnosis.what.logs", { reason: describePanelError(t, time, view.logsError) }));
  if (view.blocksError) unread.push(t("diagnosis.what.blocks", { reason: describePanelError(t, time, view.blocksError) }));
  const fixSlot = diagnosis.fixAction ? fixActions[diagnosis.fixAction] : undefined;

  return (
    <section
      aria-labelledby="diagnosis-title"
      data-testid="diagnosis"
      data-cause={diagnosis.cause}
      data-fix-action={diagnosis.fixAction ?? ""}
      className={`rounded-lg border p-5 shadow-sm ${TONES[tone]}`}
    >
      <h2 id="diagnosis-title" className="text-sm font-semibold tracking-wide uppercase opacity-80">
        {t("diagnosis.title")}
      </h2>
      <p className="mt-2 text-base font-semibold" data-testid="diagnosis-headline">
        {headline}
      </p>
      {facts.length > 0 ? (
        <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm">
          {facts.map((fact) => (
            <li key={fact}>{fact}</li>
          ))}
        </ul>
      ) : null}
      <p className="mt-3 text-sm">
        <span className="font-semibold">{t("diagnosis.fixLabel")}</span>{" "}
        {fix}
      </p>
      {fixSlot ? <div className="mt-3">{fixSlot}</div> : null}
      {unread.length > 0 ? (
        <p role="status" className="mt-3 text-sm" data-testid="diagnosis-unread">
          {t("diagnosis.couldNotRead", { what: unread.join("; ") })}
        </p>
      ) : null}
    </section>
  );
}
