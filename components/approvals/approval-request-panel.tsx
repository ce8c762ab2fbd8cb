"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { FormAlert } from "@/components/danger-zone/dialog-parts";
import { requestPasswordApprovalAction } from "@/lib/actions/approvals";
import type { ApprovalTerms } from "@/lib/approvals/terms";
import { ApprovalTermsText } from "./approval-terms";

/**
 * A Danger Zone dialog's step when the server answered `approval_required` (a protected user):
 * what will happen, the reason from the form, and "Request approval". Nothing secret is sent —
 * the password, if any, stays in the dialog's form and is typed again after the approval.
 */
export function ApprovalRequestPanel({
  userId,
  userName,
  reason,
  terms,
  message,
  onBack,
}: {
  userId: string;
  userName: string;
  reason: string;
  terms: ApprovalTerms;
  /** The server's explanation (needs approval, or a request already waits). */
  message: string | null;
  onBack: () => void;
}) {
  const t = useTranslations("approvals");
  const tDanger = useTranslations("dangerZone");
  const [error, setError] = useState<string | null>(null);
  const [isRequested, setRequested] = useState(false);
  const [isPending, startTransition] = useTransition();

  function onRequest() {
    setError(null);
    startTransition(async () => {
      const result = await requestPasswordApprovalAction({ userId, reason, terms });
      if (result.ok) setRequested(true);
      else setError(result.error);
    });
  }

  return (
    <div className="space-y-4">
      <div className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950">
        <p className="font-medium">{t("protectedTitle")}</p>
        <p>{message}</p>
      </div>
      <section aria-label={t("what")} className="space-y-1 text-sm">
        <h3 className="font-medium">{t("what")}</h3>
        <ApprovalTermsText terms={terms} userName={userName} />
        <p>
          <span className="font-medium">{t("reasonLabel")}: </span>
          {reason}
        </p>
      </section>
      {isRequested ? (
        <div role="status" className="space-y-2 text-sm">
          <p>{t("requested")}</p>
          <Link href="/approvals" className="text-indigo-700 underline dark:text-indigo-300">
            {t("seeRequests")}
          </Link>
        </div>
      ) : (
        <>
          <FormAlert message={error} />
          <DialogFooter>
            <Button type="button" variant="secondary" onClick={onBack} disabled={isPending}>
              {tDanger("back")}
            </Button>
            <Button type="button" onClick={onRequest} disabled={isPending} data-autofocus>
              {isPending ? t("requesting") : t("request")}
            </Button>
          </DialogFooter>
        </>
      )}
    </div>
  );
}
