import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PasswordApprovalList } from "@/components/approvals/password-approval-list";
import { listPasswordApprovals } from "@/lib/approvals/password-approvals";
import { can, requirePageOperator } from "@/lib/auth/session";
import { listBulkJobs } from "@/lib/bulk/jobs";
import { operationMessageKey } from "@/lib/bulk/operations";
import { getPrisma } from "@/lib/db";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("approvals");
  return { title: t("title") };
}

/**
 * One place for four-eyes requests: deciders see what waits (protected-user requests and bulk
 * jobs) and what was decided; everyone who may request sees their own requests.
 */
export default async function ApprovalsPage() {
  const operator = await requirePageOperator(
    "approvals:decide",
    "password:set",
    "password:reset-email",
    "password:ticket",
  );
  const t = await getTranslations("approvals");
  const tBulk = await getTranslations("bulk");
  const format = await getFormatter();
  const db = await getPrisma();
  const canDecide = can(operator, "approvals:decide");
  const [waiting, mine, bulkJobs] = await Promise.all([
    canDecide
      ? listPasswordApprovals(db, { status: "AWAITING_APPROVAL", scope: operator.scope })
      : Promise.resolve([]),
    listPasswordApprovals(db, { requestedById: operator.id, scope: operator.scope }),
    canDecide && can(operator, "bulk:run") ? listBulkJobs(db) : Promise.resolve([]),
  ]);
  const waitingJobs = bulkJobs.filter((job) => job.status === "AWAITING_APPROVAL");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("intro")}</p>
      </div>
      {canDecide ? (
        <section aria-labelledby="approvals-waiting" className="space-y-2">
          <h2 id="approvals-waiting" className="text-lg font-semibold">
            {t("waiting.heading")}
          </h2>
          <PasswordApprovalList
            approvals={waiting}
            operatorId={operator.id}
            canDecide
            emptyText={waitingJobs.length > 0 ? "" : t("waiting.empty")}
          />
          {waitingJobs.length > 0 ? (
            <ul className="space-y-2">
              {waitingJobs.map((job) => (
                <li
                  key={job.id}
                  className="rounded-lg border border-slate-200 bg-white p-4 text-sm [overflow-wrap:anywhere] dark:border-slate-700 dark:bg-slate-900"
                >
                  <p className="font-medium">
                    {t("waiting.bulkJob", {
                      operation: tBulk(`newJob.operations.${operationMessageKey(job.operation)}`),
                      total: job.total,
                    })}
                  </p>
                  <p>
                    {job.requestedByEmail} ·{" "}
                    {format.dateTime(new Date(job.createdAt), { dateStyle: "medium", timeStyle: "short" })} ·{" "}
                    {job.reason}
                  </p>
                  <Link href={`/bulk/${job.id}`} className="text-indigo-700 underline dark:text-indigo-300">
                    {t("waiting.openJob")}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="approvals-mine" className="space-y-2">
        <h2 id="approvals-mine" className="text-lg font-semibold">
          {t("mine.heading")}
        </h2>
        <PasswordApprovalList
          approvals={mine}
          operatorId={operator.id}
          canDecide={false}
          emptyText={t("mine.empty")}
        />
      </section>
    </div>
  );
}
