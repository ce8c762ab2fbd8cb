import "server-only";
import { getPrisma } from "@/lib/db";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { RequestMeta } from "@/lib/request-meta";
import type { AuditAction } from "./actions";
import { appendAuditEvent } from "./append";
import type { AuditDetailsInput } from "./details";

type OperatorEventInput = {
  /** Who acted; null for anonymous events (a failed sign-in for an unknown email). */
  actor: OperatorIdentity | null;
  meta: Pick<RequestMeta, "requestId" | "ip" | "userAgent">;
  /** The operator acted upon (for sign-ins: the account signed in to). */
  target: { email: string };
  details: AuditDetailsInput;
  outcome?: "SUCCEEDED" | "FAILED";
};

/**
 * Single-shot audit events about Passdesk's own operators (sign-ins, creation, role changes,
 * disabling). The target operator's email goes in targetEmail; targetUserId stays for Auth0 users.
 */
export async function recordOperatorEvent(action: AuditAction, input: OperatorEventInput): Promise<void> {
  const db = await getPrisma();
  await appendAuditEvent(db, {
    action,
    outcome: input.outcome ?? "SUCCEEDED",
    actor: input.actor ? { operatorId: input.actor.id, email: input.actor.email, role: input.actor.role } : null,
    target: { email: input.target.email },
    request: { requestId: input.meta.requestId, ip: input.meta.ip, userAgent: input.meta.userAgent },
    details: input.details,
  });
}
