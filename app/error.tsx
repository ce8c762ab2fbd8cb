"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { StatusPage } from "@/components/shell/status-page";

/**
 * Unexpected errors: a generic message and Next's digest, never a stack. The digest is the
 * reference support searches for: instrumentation.ts's onRequestError writes one log line with
 * both the digest and our request id, which then finds every line of the request.
 */
export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("common.error");
  return (
    <StatusPage code="500" title={t("title")} body={t("body")} backLabel={t("retry")}>
      {error.digest ? <p className="mt-3 font-mono text-xs">{t("reference", { requestId: error.digest })}</p> : null}
      <div className="mt-4">
        <Button type="button" variant="secondary" onClick={reset}>
          {t("retry")}
        </Button>
      </div>
    </StatusPage>
  );
}
