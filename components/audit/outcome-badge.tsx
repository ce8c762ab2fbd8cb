import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { AuditDisplayOutcome } from "@/lib/audit-view/dto";

const TONES: Record<AuditDisplayOutcome, BadgeTone> = {
  succeeded: "green",
  failed: "red",
  unknown: "amber",
  pending: "blue",
};

/** The outcome as a coloured badge; the label carries the meaning, the colour only helps. */
export function OutcomeBadge({ outcome, label }: { outcome: AuditDisplayOutcome; label: string }) {
  return (
    <Badge tone={TONES[outcome]} data-outcome={outcome}>
      {label}
    </Badge>
  );
}
