import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { BulkJobPanel } from "@/components/bulk/bulk-job-panel";
import { can, requirePageOperator } from "@/lib/auth/session";
import { getBulkJobProgress } from "@/lib/bulk/jobs";
import { getPrisma } from "@/lib/db";
import { operationMessageKey } from "@/lib/bulk/operations";
import { bulkJobIdSchema } from "@/lib/validations/bulk";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("bulk");
  return { title: t("job.heading") };
}

export default async function BulkJobPage({ params }: { params: Promise<{ id: string }> }) {
  const operator = await requirePageOperator("bulk:run");
  const id = bulkJobIdSchema.safeParse((await params).id);
  const job = id.success ? await getBulkJobProgress(await getPrisma(), id.data) : null;
  if (!job) notFound();
  const t = await getTranslations("bulk");
  const format = await getFormatter();
  const operation = t(`newJob.operations.${operationMessageKey(job.operation)}`);
  const skipped = job.counts.skipped;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{t("job.heading")}</h1>
      <section aria-labelledby="bulk-what" className="space-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-700 dark:bg-slate-900">
        <h2 id="bulk-what" className="font-medium">{t("job.what")}</h2>
        <p>{t("job.whatText", { operation, matched: job.total - skipped, skipped, reason: job.reason })}</p>
        <p>{t("job.requestedBy", { email: job.requestedByEmail })}</p>
        {job.decidedByEmail ? <p>{t("job.decidedBy", { email: job.decidedByEmail, reason: job.decisionReason ?? "" })}</p> : null}
        {job.status === "AWAITING_APPROVAL" ? (
          <p>{t("job.expiresAt", { time: format.dateTime(new Date(job.expiresAt), { dateStyle: "medium", timeStyle: "short" }) })}</p>
        ) : null}
      </section>
      <BulkJobPanel
        initial={{ id: job.id, status: job.status, total: job.total, counts: job.counts, ratePerSec: job.ratePerSec, secondsLeft: job.secondsLeft }}
        canDecide={can(operator, "approvals:decide")}
        isOwnRequest={operator.id === job.requestedById}
      />
    </div>
  );
}
