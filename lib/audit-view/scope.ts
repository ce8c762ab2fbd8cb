import type { AuditEventFilters } from "@/lib/audit/query";
import { dayAfter, dayStart, type AuditOutcomeFilter, type AuditSearchState } from "@/lib/validations/audit";
import type { AuditOutcome } from "@/lib/generated/prisma/enums";

/**
 * Who may read which part of the audit log. Decided on the server from the session's operator
 * and applied to every query and export — the UI hiding things is a convenience, not the rule.
 */
export type AuditScope = { kind: "all" } | { kind: "own"; operatorId: string };

export function auditScopeFrom(
  operator: { id: string },
  permissions: { canReadAll: boolean; canReadOwn: boolean },
): AuditScope | null {
  if (permissions.canReadAll) return { kind: "all" };
  if (permissions.canReadOwn) return { kind: "own", operatorId: operator.id };
  return null;
}

const OUTCOMES: Record<AuditOutcomeFilter, AuditOutcome> = {
  succeeded: "SUCCEEDED",
  failed: "FAILED",
  unknown: "UNKNOWN",
  pending: "PENDING",
};

/** The library's filters for a page state, with the scope's hard restriction applied last. */
export function toAuditFilters(state: AuditSearchState, scope: AuditScope): AuditEventFilters {
  return {
    actor: state.actor || null,
    target: state.target || null,
    action: state.action || null,
    outcome: state.outcome ? OUTCOMES[state.outcome] : null,
    from: state.from ? dayStart(state.from) : null,
    to: state.to ? dayAfter(state.to) : null,
    view: state.view,
    // Not a user choice: a support operator's own id, whatever the URL says.
    onlyActorOperatorId: scope.kind === "own" ? scope.operatorId : null,
  };
}
