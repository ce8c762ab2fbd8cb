"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useTransition, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { controlBulkJobAction, decideBulkJobAction } from "@/lib/actions/bulk";
import { getJson } from "@/lib/client/api-fetch";

/** The progress DTO of GET /api/bulk/:id (lib/bulk/jobs.ts BulkJobProgress). */
export type BulkJobView = {
  id: string;
  status: string;
  total: number;
  counts: Record<"done" | "failed" | "skipped" | "cancelled" | "remaining", number>;
  ratePerSec: number;
  secondsLeft: number | null;
};

const ACTIVE = new Set(["QUEUED", "RUNNING", "PAUSED", "AWAITING_APPROVAL"]);

/** Live progress (polls while the job can still change), controls and the approval form. */
export function BulkJobPanel({ initial, canDecide, isOwnRequest }: { initial: BulkJobView; canDecide: boolean; isOwnRequest: boolean }) {
  const t = useTranslations("bulk");
  const id = useId();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const { data } = useQuery({
    queryKey: ["bulk", "job", initial.id],
    queryFn: ({ signal }) => getJson<BulkJobView>(`/api/bulk/${encodeURIComponent(initial.id)}`, signal),
    initialData: initial,
    refetchInterval: (query) => (ACTIVE.has(query.state.data?.status ?? "") ? 1_000 : false),
  });
  const job = data ?? initial;
  const processed = job.counts.done + job.counts.failed + job.counts.skipped + job.counts.cancelled;
  const percent = job.total > 0 ? Math.round((processed / job.total) * 100) : 0;

  function run(task: () => Promise<{ ok: boolean; error?: string }>) {
    startTransition(async () => {
      const result = await task();
      setError(result.ok ? null : (result.error ?? null));
      router.refresh();
    });
  }

  function onDecide(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const form = new FormData(event.currentTarget);
    run(() => decideBulkJobAction({ jobId: job.id, decision: submitter?.value, reason: form.get("reason") }));
  }

  return (
    <div className="space-y-4">
      <section aria-labelledby={`${id}-progress`} className="space-y-2">
        <h2 id={`${id}-progress`} className="font-medium">
          {t("job.progressLabel")}: <span data-testid="bulk-status">{t(`status.${job.status}`)}</span>
        </h2>
        <div role="progressbar" aria-label={t("job.progressLabel")} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-3 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-700">
          <div className="h-full bg-indigo-600" style={{ width: `${percent}%` }} />
        </div>
        <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4 lg:grid-cols-7">
          {(["done", "failed", "skipped", "cancelled", "remaining"] as const).map((key) => (
            <div key={key}>
              <dt className="text-slate-700 dark:text-slate-300">{t(`job.${key}`)}</dt>
              <dd className="font-semibold" data-testid={`bulk-${key}`}>{job.counts[key]}</dd>
            </div>
          ))}
          <div>
            <dt className="text-slate-700 dark:text-slate-300">{t("job.rate")}</dt>
            <dd className="font-semibold">{t("job.rateValue", { rate: job.ratePerSec })}</dd>
          </div>
          <div>
            <dt className="text-slate-700 dark:text-slate-300">{t("job.timeLeft")}</dt>
            <dd className="font-semibold">{job.secondsLeft === null ? t("job.unknown") : t("job.timeLeftValue", { seconds: job.secondsLeft })}</dd>
          </div>
        </dl>
      </section>

      <div className="flex flex-wrap gap-2">
        {job.status === "RUNNING" || job.status === "QUEUED" ? (
          <Button variant="secondary" disabled={isPending} onClick={() => run(() => controlBulkJobAction({ jobId: job.id, command: "pause" }))}>{t("job.pause")}</Button>
        ) : null}
        {job.status === "PAUSED" ? (
          <Button variant="secondary" disabled={isPending} onClick={() => run(() => controlBulkJobAction({ jobId: job.id, command: "resume" }))}>{t("job.resume")}</Button>
        ) : null}
        {ACTIVE.has(job.status) ? (
          <Button variant="danger" disabled={isPending} onClick={() => run(() => controlBulkJobAction({ jobId: job.id, command: "cancel" }))}>{t("job.cancel")}</Button>
        ) : null}
        <a href={`/api/bulk/${encodeURIComponent(job.id)}/results`} className="inline-flex h-10 items-center rounded-md border border-slate-300 px-4 text-sm font-medium hover:bg-slate-50 focus-visible:outline-2 dark:border-slate-600 dark:hover:bg-slate-800">
          {t("job.results")}
        </a>
      </div>

      {job.status === "AWAITING_APPROVAL" && canDecide ? (
        <section aria-labelledby={`${id}-decision`} className="space-y-2 rounded-lg border border-amber-300 p-4 dark:border-amber-700">
          <h2 id={`${id}-decision`} className="font-medium">{t("decision.heading")}</h2>
          {isOwnRequest ? (
            <p className="text-sm">{t("decision.ownRequest")}</p>
          ) : (
            <form onSubmit={onDecide} className="space-y-2" noValidate>
              <Label htmlFor={`${id}-reason`}>{t("decision.reason")}</Label>
              <Input id={`${id}-reason`} name="reason" required minLength={5} maxLength={500} />
              <div className="flex gap-2">
                <Button type="submit" name="decision" value="approve" disabled={isPending}>{t("decision.approve")}</Button>
                <Button type="submit" name="decision" value="reject" variant="secondary" disabled={isPending}>{t("decision.reject")}</Button>
              </div>
            </form>
          )}
        </section>
      ) : null}
      <div aria-live="polite" className="text-sm text-red-700 dark:text-red-400">{error}</div>
    </div>
  );
}
