import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { NewBulkJobForm } from "@/components/bulk/new-bulk-job-form";
import { requirePageOperator } from "@/lib/auth/session";
import { listBulkJobs } from "@/lib/bulk/jobs";
import { getPrisma } from "@/lib/db";
import { operationMessageKey } from "@/lib/bulk/operations";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("bulk");
  return { title: t("title") };
}

export default async function BulkJobsPage() {
  await requirePageOperator("bulk:run");
  const t = await getTranslations("bulk");
  const format = await getFormatter();
  const jobs = await listBulkJobs(await getPrisma());
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("intro")}</p>
      </div>
      <NewBulkJobForm />
      <section aria-labelledby="bulk-jobs-heading" className="space-y-2">
        <h2 id="bulk-jobs-heading" className="text-lg font-semibold">{t("list.heading")}</h2>
        {jobs.length === 0 ? (
          <p className="text-sm">{t("list.empty")}</p>
        ) : (
          <div
            role="region"
            aria-labelledby="bulk-jobs-heading"
            tabIndex={0}
            className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900"
          >
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
                <tr>
                  <th scope="col" className="px-4 py-2">{t("list.columns.created")}</th>
                  <th scope="col" className="px-4 py-2">{t("list.columns.operation")}</th>
                  <th scope="col" className="px-4 py-2">{t("list.columns.requester")}</th>
                  <th scope="col" className="px-4 py-2">{t("list.columns.status")}</th>
                  <th scope="col" className="px-4 py-2">{t("list.columns.total")}</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                    <td className="px-4 py-2">
                      <Link href={`/bulk/${job.id}`} className="text-indigo-700 underline dark:text-indigo-300">
                        {format.dateTime(new Date(job.createdAt), { dateStyle: "medium", timeStyle: "short" })}
                      </Link>
                    </td>
                    <td className="px-4 py-2">{t(`newJob.operations.${operationMessageKey(job.operation)}`)}</td>
                    <td className="px-4 py-2">{job.requestedByEmail}</td>
                    <td className="px-4 py-2">{t(`status.${job.status}`)}</td>
                    <td className="px-4 py-2">{job.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
