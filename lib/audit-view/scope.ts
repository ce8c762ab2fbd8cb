import type { AuditEventFilters } from "@/lib/audit/query";
import { dayAfter, dayStart, type AuditOutcomeFilter, type AuditSearchState } from "@/lib/validations/audit";
import type { AuditOutcome } from "@/lib/generated/prisma/enums";
import type { OperatorScope } from "@/lib/scope/types";

/**
 * Which Auth0 users' events may be read (issue 16): those whose target user is in `scope`,
 * decided at Auth0 when the events are read (lib/audit-view/visible.ts). Events without a target
 * user show only when `ownOperatorId` performed them (a scoped reader's own sign-ins and exports);
 * null: none of them (the "within the scope of operator X" filter).
 */
export type AuditUserScope = { scope: OperatorScope; ownOperatorId: string | null };

/**
 * Who may read which part of the audit log. Decided on the server from the session's operator
 * and applied to every query and export — the UI hiding things is a convenience, not the rule.
 * `users`: the reader's own operator scope (or the scope filter), on top of the role's rule.
 */
export type AuditScope = ({ kind: "all" } | { kind: "own"; operatorId: string }) & { users?: AuditUserScope };

export function auditScopeFrom(
  operator: { id: string; scope?: OperatorScope | null },
  permissions: { canReadAll: boolean; canReadOwn: boolean },
): AuditScope | null {
  const users = operator.scope ? { users: { scope: operator.scope, ownOperatorId: operator.id } } : {};
  if (permissions.canReadAll) return { kind: "all", ...users };
  if (permissions.canReadOwn) return { kind: "own", operatorId: operator.id, ...users };
  return null;
}

/** Whether the reader sees the whole log (every target, every event): the only one who may filter by a scope. */
export function readsWholeLog(scope: AuditScope): boolean {
  return scope.kind === "all" && !scope.users;
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
    ...untargetedFilter(scope),
  };
}

/** The part of a user scope the database can decide: which events without a target user stay. */
export function untargetedFilter(scope: AuditScope): Pick<AuditEventFilters, "untargeted"> {
  if (!scope.users) return {};
  const own = scope.users.ownOperatorId;
  return { untargeted: own === null ? "none" : { actorOperatorId: own } };
}
