"use client";

import { useTranslations } from "next-intl";
import type { ApprovalTerms } from "@/lib/approvals/terms";

/** "What will happen", in words: the operation, the user and every option of the request. */
export function ApprovalTermsText({ terms, userName }: { terms: ApprovalTerms; userName: string }) {
  const t = useTranslations("approvals.terms");
  const lifetimes = useTranslations("dangerZone.ticket.lifetimes");
  switch (terms.operation) {
    case "password.set":
      return <p>{t(terms.signOutEverywhere ? "setSignOut" : "set", { name: userName })}</p>;
    case "password.reset_email":
      return <p>{t("resetEmail", { name: userName })}</p>;
    case "password.ticket": {
      const known = lifetimes.has(String(terms.ttlSec));
      const lifetime = known ? lifetimes(String(terms.ttlSec)) : `${Math.round(terms.ttlSec / 60)} min`;
      return (
        <>
          <p>{t("ticket", { name: userName, lifetime })}</p>
          {terms.markEmailAsVerified ? <p>{t("ticketVerified")}</p> : null}
          {terms.resultUrl ? <p>{t("ticketRedirect", { url: terms.resultUrl })}</p> : null}
        </>
      );
    }
  }
}
