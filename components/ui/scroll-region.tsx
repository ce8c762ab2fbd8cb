import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

/**
 * A horizontally scrollable wrapper for a wide table. On a phone the table can be wider than the
 * screen, and a region that scrolls must be reachable from the keyboard (WCAG 2.1.1, axe
 * `scrollable-region-focusable`): it is in the tab order, with a visible focus ring, and named by
 * its section's heading as a group (not a landmark, so the section stays the one region of that name).
 * Positioned (`relative`), so it also clips the table's absolutely positioned visually hidden
 * labels: a scroll container that is not positioned lets them widen the page.
 */
export function ScrollRegion({
  labelledBy,
  className,
  children,
}: {
  labelledBy: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      role="group"
      aria-labelledby={labelledBy}
      tabIndex={0}
      className={cn(
        "relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600",
        className,
      )}
    >
      {children}
    </div>
  );
}
