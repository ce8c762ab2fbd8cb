"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import type { MouseEvent, ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { Sheet, SheetContent } from "@/components/ui/sheet";
import { displayOutcome, type AuditEventView } from "@/lib/audit-view/dto";
import { ApiError } from "@/lib/client/api-fetch";
import { auditEventQueryOptions } from "@/lib/client/audit-queries";
import { OutcomeBadge } from "./outcome-badge";
import { useActionLabel } from "./audit-table";
import { isPlainLeftClick } from "./use-audit-url";

function Field({ label, children, mono = false }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-3 py-1.5 text-sm">
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={mono ? "font-mono text-xs break-all" : "break-words"}>{children}</dd>
    </div>
  );
}

function EventLink({
  sequence,
  href,
  onOpen,
}: {
  sequence: string;
  href: (sequence: string) => string;
  onOpen: (sequence: string) => void;
}) {
  const t = useTranslations("audit");
  return (
    <a
      href={href(sequence)}
      className="text-indigo-700 underline underline-offset-2 dark:text-indigo-300"
      onClick={(click: MouseEvent<HTMLAnchorElement>) => {
        if (!isPlainLeftClick(click)) return;
        click.preventDefault();
        onOpen(sequence);
      }}
    >
      {t("drawer.openEvent", { sequence })}
    </a>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-b border-slate-100 py-3 last:border-0 dark:border-slate-800">
      <h3 className="mb-1 text-sm font-semibold text-slate-900 dark:text-slate-100">{title}</h3>
      <dl>{children}</dl>
    </section>
  );
}

/**
 * The detail drawer of one event. The open event is in the URL (`?event=…`), so a link to one
 * event can be shared; it is taken from the table's page when there, else fetched on its own.
 */
export function AuditEventDrawer({
  sequence,
  fromPage,
  eventHref,
  onOpenEvent,
  onClose,
  returnFocusTo,
}: {
  sequence: string | null;
  fromPage: AuditEventView | undefined;
  eventHref: (sequence: string) => string;
  onOpenEvent: (sequence: string) => void;
  onClose: () => void;
  /** Where focus goes back to on close (the drawer has no Radix trigger: the URL opens it). */
  returnFocusTo: () => HTMLElement | null;
}) {
  const t = useTranslations("audit");
  const query = useQuery({
    ...auditEventQueryOptions(sequence ?? "0"),
    enabled: sequence !== null && !fromPage,
  });
  const event = fromPage ?? query.data;

  return (
    <Sheet open={sequence !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      {sequence !== null ? (
        <SheetContent
          title={t("drawer.title", { sequence })}
          description={t("drawer.description")}
          closeLabel={t("drawer.close")}
          onCloseAutoFocus={(focusEvent) => {
            const target = returnFocusTo();
            if (!target?.isConnected) return;
            focusEvent.preventDefault();
            target.focus();
          }}
        >
          {event ? (
            <EventFields event={event} eventHref={eventHref} onOpenEvent={onOpenEvent} />
          ) : query.isError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {query.error instanceof ApiError && query.error.status === 404
                ? t("errors.notFound")
                : t("errors.load")}
            </p>
          ) : (
            <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
              {t("drawer.loading")}
            </p>
          )}
        </SheetContent>
      ) : null}
    </Sheet>
  );
}

function EventFields({
  event,
  eventHref,
  onOpenEvent,
}: {
  event: AuditEventView;
  eventHref: (sequence: string) => string;
  onOpenEvent: (sequence: string) => void;
}) {
  const t = useTranslations("audit");
  const ts = useTranslations("shell");
  const format = useFormatter();
  const actionLabel = useActionLabel();
  const outcome = displayOutcome(event);
  const none = t("none");
  const dateTime = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "full", timeStyle: "long" });

  return (
    <div>
      <Section title={t("drawer.sections.what")}>
        <Field label={t("drawer.fields.sequence")} mono>
          {event.sequence}
        </Field>
        <Field label={t("drawer.fields.time")}>
          <time dateTime={event.time}>{dateTime(event.time)}</time>
          <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{event.time}</div>
        </Field>
        <Field label={t("drawer.fields.action")}>
          {actionLabel(event.action)}{" "}
          <span className="font-mono text-xs text-slate-600 dark:text-slate-400">({event.action})</span>
        </Field>
        <Field label={t("drawer.fields.outcome")}>
          <OutcomeBadge outcome={outcome} label={t(`outcomes.${outcome}`)} />
        </Field>
        <Field label={t("drawer.fields.storedOutcome")}>{t(`drawer.storedOutcomes.${event.outcome}`)}</Field>
        {event.relatedSequence ? (
          <Field label={t("drawer.fields.relatedSequence")}>
            <EventLink sequence={event.relatedSequence} href={eventHref} onOpen={onOpenEvent} />
          </Field>
        ) : null}
        {event.outcome === "PENDING" ? (
          event.resolution ? (
            <>
              <Field label={t("drawer.fields.resolution")}>
                <EventLink sequence={event.resolution.sequence} href={eventHref} onOpen={onOpenEvent} />
              </Field>
              <Field label={t("drawer.fields.resolutionTime")}>
                <time dateTime={event.resolution.time}>{dateTime(event.resolution.time)}</time>
              </Field>
              <Field label={t("drawer.fields.resolutionDetails")} mono>
                <pre className="whitespace-pre-wrap">{JSON.stringify(event.resolution.details, null, 2)}</pre>
              </Field>
            </>
          ) : (
            <Field label={t("drawer.fields.resolution")}>
              <span className="block rounded-md bg-amber-50 p-2 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
                {t("drawer.noOutcome")}
              </span>
            </Field>
          )
        ) : null}
      </Section>
      <Section title={t("drawer.sections.who")}>
        <Field label={t("drawer.fields.actorEmail")}>{event.actorEmail ?? t("anonymous")}</Field>
        <Field label={t("drawer.fields.actorOperatorId")} mono>
          {event.actorOperatorId ?? none}
        </Field>
        <Field label={t("drawer.fields.actorRole")}>
          {event.actorRole ? ts(`roles.${event.actorRole}`) : none}
        </Field>
        <Field label={t("drawer.fields.targetEmail")}>{event.targetEmail ?? none}</Field>
        <Field label={t("drawer.fields.targetUserId")} mono>
          {event.targetUserId ?? none}
        </Field>
        <Field label={t("drawer.fields.targetConnection")}>{event.targetConnection ?? none}</Field>
        <Field label={t("drawer.fields.reason")}>{event.reason ?? none}</Field>
      </Section>
      <Section title={t("drawer.sections.request")}>
        <Field label={t("drawer.fields.requestId")} mono>
          {event.requestId ?? none}
        </Field>
        <Field label={t("drawer.fields.ip")} mono>
          {event.ip ?? none}
        </Field>
        <Field label={t("drawer.fields.userAgent")} mono>
          {event.userAgent ?? none}
        </Field>
      </Section>
      <Section title={t("drawer.sections.details")}>
        <Field label={t("drawer.fields.details")} mono>
          <pre className="whitespace-pre-wrap">{JSON.stringify(event.details, null, 2)}</pre>
        </Field>
      </Section>
      <Section title={t("drawer.sections.chain")}>
        <Field label={t("drawer.fields.prevHash")} mono>
          <span>{event.prevHash}</span>
          <div className="mt-1">
            <CopyButton value={event.prevHash} label={t("drawer.copyPrevHash")} />
          </div>
        </Field>
        <Field label={t("drawer.fields.hash")} mono>
          <span>{event.hash}</span>
          <div className="mt-1">
            <CopyButton value={event.hash} label={t("drawer.copyHash")} />
          </div>
        </Field>
      </Section>
    </div>
  );
}
