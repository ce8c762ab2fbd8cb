"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { StatusPage } from "@/components/shell/status-page";

/** Unexpected errors: a generic message and the digest Next logs with it, never a stack. */
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
