"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "./button";
import { copyToClipboard } from "./clipboard";

/** Copies `value`; with `clearAfterMs`, empties the clipboard later if it still holds it (see copyToClipboard). */
export function CopyButton({ value, label, clearAfterMs }: { value: string; label?: string; clearAfterMs?: number }) {
  const t = useTranslations("common");
  const [isCopied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      aria-label={label}
      onClick={async () => {
        try {
          await copyToClipboard(value, clearAfterMs === undefined ? {} : { clearAfterMs });
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          setCopied(false);
        }
      }}
    >
      <span aria-live="polite">{isCopied ? t("copied") : t("copy")}</span>
    </Button>
  );
}
