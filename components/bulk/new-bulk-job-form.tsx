"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createBulkJobAction, previewBulkJobAction } from "@/lib/actions/bulk";
import {
  BULK_OPERATIONS,
  operationMessageKey,
  PREVIEW_STATUSES,
  type BulkOperation,
  type PreviewCounts,
  type PreviewRow,
} from "@/lib/bulk/operations";

type Preview = { counts: PreviewCounts; total: number; rows: PreviewRow[] };
type Source = { kind: "csv"; fileName: string; contentBase64: string } | { kind: "search"; query: string };

async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Source → preview → reason → request approval. The server recomputes the preview itself. */
export function NewBulkJobForm() {
  const t = useTranslations("bulk");
  const id = useId();
  const router = useRouter();
  const [kind, setKind] = useState<"csv" | "search">("csv");
  // The operation decides who is skipped, so it is chosen before the preview.
  const [operation, setOperation] = useState<BulkOperation>(BULK_OPERATIONS[0]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [source, setSource] = useState<Source | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "ok"; text: string } | null>(null);
  const [isPending, startTransition] = useTransition();

  async function readSource(form: FormData): Promise<Source | null> {
    if (kind === "search") return { kind: "search", query: String(form.get("query") ?? "") };
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return null;
    return { kind: "csv", fileName: file.name, contentBase64: await fileToBase64(file) };
  }

  function onPreview(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const next = await readSource(form);
      setPreview(null);
      if (!next) return setMessage({ tone: "error", text: t("errors.empty") });
      const result = await previewBulkJobAction({ source: next, operation });
      if (!result.ok) return setMessage({ tone: "error", text: result.error });
      setSource(next);
      setPreview(result.data);
      setMessage(null);
    });
  }

  function onRequest(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!source) return;
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await createBulkJobAction({ source, operation, reason: form.get("reason") });
      if (!result.ok) return setMessage({ tone: "error", text: result.error });
      setMessage({ tone: "ok", text: t("newJob.requested") });
      router.push(`/bulk/${result.data.jobId}`);
    });
  }

  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">{t("newJob.heading")}</h2>
      <form onSubmit={onPreview} className="space-y-3" noValidate>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{t("newJob.source")}</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            {(["csv", "search"] as const).map((value) => (
              <label key={value} className="flex items-center gap-2">
                <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => { setKind(value); setPreview(null); }} />
                {value === "csv" ? t("newJob.sourceCsv") : t("newJob.sourceSearch")}
              </label>
            ))}
          </div>
        </fieldset>
        {kind === "csv" ? (
          <div className="space-y-1">
            <Label htmlFor={`${id}-file`}>{t("newJob.file")}</Label>
            <Input id={`${id}-file`} name="file" type="file" accept=".csv,text/csv" onChange={() => setPreview(null)} />
          </div>
        ) : (
          <div className="space-y-1">
            <Label htmlFor={`${id}-query`}>{t("newJob.query")}</Label>
            <Input id={`${id}-query`} name="query" maxLength={1000} autoComplete="off" onChange={() => setPreview(null)} />
          </div>
        )}
        <div className="space-y-1">
          <Label htmlFor={`${id}-operation`}>{t("newJob.operation")}</Label>
          <select
            id={`${id}-operation`}
            name="operation"
            value={operation}
            aria-describedby={`${id}-operation-hint`}
            onChange={(event) => {
              setOperation(event.target.value as BulkOperation);
              setPreview(null);
            }}
            className="h-10 w-full rounded-md border border-slate-300 bg-white px-3 text-sm dark:border-slate-600 dark:bg-slate-900"
          >
            {BULK_OPERATIONS.map((value) => (
              <option key={value} value={value}>{t(`newJob.operations.${operationMessageKey(value)}`)}</option>
            ))}
          </select>
          <p id={`${id}-operation-hint`} className="text-xs text-slate-700 dark:text-slate-300">{t("newJob.operationHint")}</p>
        </div>
        <Button type="submit" variant="secondary" disabled={isPending}>{isPending && !preview ? t("newJob.previewing") : t("newJob.preview")}</Button>
      </form>

      <div aria-live="polite" className={message?.tone === "error" ? "text-sm text-red-700 dark:text-red-400" : "text-sm text-green-800 dark:text-green-300"}>
        {message?.text}
      </div>

      {preview ? (
        <div className="space-y-3">
          <h3 id={`${id}-preview-heading`} className="font-medium">{t("preview.heading")} · {t("preview.total", { total: preview.total })}</h3>
          <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
            {PREVIEW_STATUSES.map((status) => (
              <div key={status} className="rounded border border-slate-200 p-2 dark:border-slate-700">
                <dt className="text-slate-700 dark:text-slate-300">{t(`preview.counts.${status}`)}</dt>
                <dd className="text-lg font-semibold" data-testid={`preview-${status}`}>{preview.counts[status]}</dd>
              </div>
            ))}
          </dl>
          {preview.rows.length < preview.total ? <p className="text-sm">{t("preview.shownFirst", { shown: preview.rows.length })}</p> : null}
          {/* A scrolling region: focusable so keyboard users can scroll it (axe scrollable-region-focusable). */}
          <div
            role="region"
            aria-labelledby={`${id}-preview-heading`}
            tabIndex={0}
            className="max-h-72 overflow-auto rounded border border-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700"
          >
            <table className="w-full text-left text-sm">
              <thead className="sticky top-0 bg-slate-50 text-xs uppercase dark:bg-slate-800">
                <tr>
                  <th scope="col" className="px-3 py-1">{t("preview.columns.position")}</th>
                  <th scope="col" className="px-3 py-1">{t("preview.columns.input")}</th>
                  <th scope="col" className="px-3 py-1">{t("preview.columns.status")}</th>
                  <th scope="col" className="px-3 py-1">{t("preview.columns.connection")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.position} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="px-3 py-1">{row.position}</td>
                    <td className="px-3 py-1 break-all">{row.input}</td>
                    <td className="px-3 py-1">{t(`preview.counts.${row.status}`)}</td>
                    <td className="px-3 py-1">{row.connection ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form onSubmit={onRequest} className="space-y-3" noValidate>
            <div className="space-y-1">
              <Label htmlFor={`${id}-reason`}>{t("newJob.reason")}</Label>
              <Input id={`${id}-reason`} name="reason" required minLength={5} maxLength={500} aria-describedby={`${id}-reason-hint`} />
              <p id={`${id}-reason-hint`} className="text-xs text-slate-700 dark:text-slate-300">{t("newJob.reasonHint")}</p>
            </div>
            <Button type="submit" disabled={isPending || preview.counts.matched === 0}>{isPending ? t("newJob.requesting") : t("newJob.request")}</Button>
          </form>
        </div>
      ) : null}
    </section>
  );
}
