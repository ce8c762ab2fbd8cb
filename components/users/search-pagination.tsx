"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

/** Previous / next for the users table: real links (they work without JavaScript), client navigation on a plain click. */
export function SearchPagination({
  page,
  pages,
  hrefFor,
  onNavigate,
}: {
  page: number;
  pages: number;
  hrefFor: (page: number) => string;
  onNavigate: (page: number) => void;
}) {
  const t = useTranslations("users.pagination");
  return (
    <nav aria-label={t("label")} className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p>{t("page", { page, pages })}</p>
      <div className="flex gap-2">
        <PageLink
          label={t("previous")}
          href={hrefFor(page - 1)}
          isDisabled={page <= 1}
          onNavigate={() => onNavigate(page - 1)}
        />
        <PageLink
          label={t("next")}
          href={hrefFor(page + 1)}
          isDisabled={page >= pages}
          onNavigate={() => onNavigate(page + 1)}
        />
      </div>
    </nav>
  );
}

/** A page link; ctrl/cmd/shift/middle-click keep the browser's own behaviour (new tab). */
export function PageLink({
  label,
  href,
  isDisabled = false,
  onNavigate,
}: {
  label: string;
  href: string;
  isDisabled?: boolean;
  onNavigate: () => void;
}) {
  if (isDisabled) {
    return (
      <Button type="button" variant="secondary" size="sm" disabled>
        {label}
      </Button>
    );
  }
  return (
    <Button asChild variant="secondary" size="sm">
      <a
        href={href}
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          onNavigate();
        }}
      >
        {label}
      </a>
    </Button>
  );
}
