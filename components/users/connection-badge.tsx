import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ConnectionType } from "@/lib/auth0/types";

const TONES: Record<ConnectionType, BadgeTone> = {
  database: "blue",
  social: "violet",
  enterprise: "amber",
  passwordless: "neutral",
};

/** The connection type as a coloured badge; the label is passed in already translated. */
export function ConnectionTypeBadge({ type, label }: { type: ConnectionType; label: string }) {
  return (
    <Badge tone={TONES[type]} data-connection-type={type}>
      {label}
    </Badge>
  );
}
