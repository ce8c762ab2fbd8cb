import "server-only";
import { listAuditEvents, listUserPasswordEvents } from "@/lib/audit/query";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { can } from "@/lib/auth/can";
import { getPrisma } from "@/lib/db";
import { AUDIT_PAGE_SIZE, type AuditSearchState } from "@/lib/validations/audit";
import { toAuditEventPageView, toAuditEventView, type AuditEventPageView, type AuditEventView } from "./dto";
import { auditScopeFrom, toAuditFilters, type AuditScope } from "./scope";

/** The operator's audit scope, or null when their role may not read the audit log at all. */
export function auditScopeFor(operator: OperatorIdentity): AuditScope | null {
  return auditScopeFrom(operator, {
    canReadAll: can(operator, "audit:read"),
    canReadOwn: can(operator, "audit:read-own"),
  });
}

/** One page of the audit page / API, newest first, restricted to the scope. */
export async function listAuditPage(
  scope: AuditScope,
  state: AuditSearchState,
  limit: number = AUDIT_PAGE_SIZE,
): Promise<AuditEventPageView> {
  const db = await getPrisma();
  const page = await listAuditEvents(db, toAuditFilters(state, scope), state.cursor || null, limit);
  return toAuditEventPageView(page);
}

/**
 * One event by sequence, or null when it does not exist or lies outside the scope (the two are
 * indistinguishable on purpose). Keyset lookup: the first scoped row below sequence + 1.
 */
export async function findAuditEvent(scope: AuditScope, sequence: string): Promise<AuditEventView | null> {
  const db = await getPrisma();
  const filters = { onlyActorOperatorId: scope.kind === "own" ? scope.operatorId : null };
  const page = await listAuditEvents(db, filters, (BigInt(sequence) + 1n).toString(), 1);
  const event = page.events[0];
  return event && event.sequence === sequence ? toAuditEventView(event) : null;
}

/** Password operations on one Auth0 user (each with its outcome), restricted to the scope. */
export async function listPasswordHistory(
  scope: AuditScope,
  auth0UserId: string,
  limit = 20,
): Promise<AuditEventPageView> {
  const db = await getPrisma();
  const page = await listUserPasswordEvents(db, auth0UserId, {
    limit,
    onlyActorOperatorId: scope.kind === "own" ? scope.operatorId : null,
  });
  return toAuditEventPageView(page);
}
