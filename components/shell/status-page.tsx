import Link from "next/link";
import type { ReactNode } from "react";

export function StatusPage({ code, title, body, backLabel, children }: { code: string; title: string; body: string; backLabel: string; children?: ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-[60vh] max-w-xl flex-col justify-center px-4 py-12">
      <p className="text-sm font-semibold text-indigo-700 dark:text-indigo-300">{code}</p>
      <h1 className="mt-1 text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">{body}</p>
      {children}
      <p className="mt-6">
        <Link href="/" className="text-sm font-medium text-indigo-700 underline dark:text-indigo-300">
          {backLabel}
        </Link>
      </p>
    </main>
  );
}
