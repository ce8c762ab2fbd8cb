"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { decidePasswordApprovalAction } from "@/lib/actions/approvals";
import type { PasswordApprovalSummary } from "@/lib/approvals/password-approvals";
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH } from "@/lib/validations/danger-zone";
import { ApprovalTermsText } from "./approval-terms";

/**
 * Protected-user requests as cards (readable at 390 px): what will happen, who asked and why,
 * the state, and — for deciders, on someone else's waiting request — approve or reject with a
 * reason. The server decides who may decide; this only hides what would be refused.
 */
export function PasswordApprovalList({
  approvals,
  operatorId,
  canDecide,
  emptyText,
}: {
  approvals: PasswordApprovalSummary[];
  operatorId: string;
  canDecide: boolean;
  emptyText: string;
}) {
  if (approvals.length === 0) return emptyText ? <p className="text-sm">{emptyText}</p> : null;
  return (
    <ul className="space-y-3">
      {approvals.map((approval) => (
        <li key={approval.id}>
          <ApprovalCard
            approval={approval}
            isOwn={approval.requestedById === operatorId}
            canDecide={canDecide}
          />
        </li>
      ))}
    </ul>
  );
}

function ApprovalCard({
  approval,
  isOwn,
  canDecide,
}: {
  approval: PasswordApprovalSummary;
  isOwn: boolean;
  canDecide: boolean;
}) {
  const t = useTranslations("approvals");
  const format = useFormatter();
  const router = useRouter();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const time = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const isOpen = approval.status === "AWAITING_APPROVAL" || approval.status === "APPROVED";

  function onDecide(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await decidePasswordApprovalAction({
        approvalId: approval.id,
        decision: submitter?.value,
        reason: form.get("reason"),
      });
      setError(result.ok ? null : result.error);
      router.refresh();
    });
  }

  return (
    <article
      aria-labelledby={`${id}-title`}
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm [overflow-wrap:anywhere] dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`${id}-title`} className="font-medium">
          {approval.userName}
          {approval.emailMasked ? (
            <span className="font-normal text-slate-700 dark:text-slate-300"> ({approval.emailMasked})</span>
          ) : null}
        </h3>
        <p data-testid="approval-status">
          {t(`status.${approval.status}`)}
          {isOpen ? ` · ${t("expiresAt", { time: time(approval.expiresAt) })}` : null}
        </p>
      </div>
      {approval.terms ? <ApprovalTermsText terms={approval.terms} userName={approval.userName} /> : null}
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-700 dark:text-slate-300">{t("columns.requester")}</dt>
        <dd>
          {approval.requestedByEmail} · {time(approval.createdAt)}
        </dd>
        <dt className="text-slate-700 dark:text-slate-300">{t("columns.reason")}</dt>
        <dd>{approval.reason}</dd>
        {approval.decidedByEmail ? (
          <>
            <dt className="text-slate-700 dark:text-slate-300">{t("columns.decision")}</dt>
            <dd>
              {t("decidedBy", { email: approval.decidedByEmail, reason: approval.decisionReason ?? "" })}
            </dd>
          </>
        ) : null}
      </dl>
      <Link
        href={`/users/${encodeURIComponent(approval.userId)}`}
        className="inline-block text-indigo-700 underline dark:text-indigo-300"
      >
        {t("openUser")}
      </Link>
      {approval.status === "AWAITING_APPROVAL" && canDecide ? (
        isOwn ? (
          <p>{t("decision.ownRequest")}</p>
        ) : (
          <form onSubmit={onDecide} className="space-y-2" noValidate>
            <Label htmlFor={`${id}-reason`}>{t("decision.label")}</Label>
            <Input
              id={`${id}-reason`}
              name="reason"
              required
              minLength={REASON_MIN_LENGTH}
              maxLength={REASON_MAX_LENGTH}
            />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" name="decision" value="approve" disabled={isPending}>
                {t("decision.approve")}
              </Button>
              <Button type="submit" name="decision" value="reject" variant="secondary" disabled={isPending}>
                {t("decision.reject")}
              </Button>
            </div>
          </form>
        )
      ) : null}
      <div role="alert" aria-live="assertive" className="text-red-700 dark:text-red-400">
        {error}
      </div>
    </article>
  );
}
