import type { HTMLAttributes } from "react";
import { cn } from "@/lib/utils";

/** A pulsing placeholder block; decorative, so hidden from assistive technology. */
export function Skeleton({ className, ...props }: HTMLAttributes<HTMLSpanElement>) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "inline-block animate-pulse rounded bg-slate-200 motion-reduce:animate-none dark:bg-slate-700",
        className,
      )}
      {...props}
    />
  );
}
