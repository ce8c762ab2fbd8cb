import "server-only";
import { listAuditEvents, listUserPasswordEvents } from "@/lib/audit/query";
import { getManagementApi, type ManagementApi } from "@/lib/auth0/client";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { findOperatorById, listOperators } from "@/lib/auth/operator-admin";
import { can } from "@/lib/auth/can";
import { getPrisma } from "@/lib/db";
import { describeScope, type ScopeDescription } from "@/lib/scope/describe";
import { usersInScope } from "@/lib/scope/resolve";
import { AUDIT_PAGE_SIZE, OPERATOR_ID_PATTERN, type AuditSearchState } from "@/lib/validations/audit";
import { toAuditEventPageView, toAuditEventView, type AuditEventPageView, type AuditEventView } from "./dto";
import { auditScopeFrom, readsWholeLog, toAuditFilters, untargetedFilter, type AuditScope } from "./scope";
import { createAuditGate, listVisibleAuditEvents } from "./visible";

/** The operator's audit scope, or null when their role may not read the audit log at all. */
export function auditScopeFor(operator: OperatorIdentity): AuditScope | null {
  return auditScopeFrom(operator, {
    canReadAll: can(operator, "audit:read"),
    canReadOwn: can(operator, "audit:read-own"),
  });
}

/**
 * `scopeOf` names no operator with a scope, or the reader may not use it (only readers of the
 * whole log may). One answer for every case, so it confirms nothing about other operators.
 */
export class AuditScopeFilterError extends Error {
  constructor() {
    super("scopeOf must be an operator with a scope (filtering by a scope needs access to the whole audit log)");
    this.name = "AuditScopeFilterError";
  }
}

/**
 * The reader's scope with the page's "targets within the scope of operator X" filter applied:
 * X's scope as stored now (an unreadable one matches nobody), events without a target user left
 * out. Throws AuditScopeFilterError for an unknown or unscoped X and for a reader who does not
 * see the whole log.
 */
export async function withScopeFilter(scope: AuditScope, state: Pick<AuditSearchState, "scopeOf">): Promise<AuditScope> {
  if (state.scopeOf === "") return scope;
  if (!readsWholeLog(scope) || !OPERATOR_ID_PATTERN.test(state.scopeOf)) throw new AuditScopeFilterError();
  const operator = await findOperatorById(state.scopeOf);
  if (!operator?.scope) throw new AuditScopeFilterError();
  return { ...scope, users: { scope: operator.scope, ownOperatorId: null } };
}

/** An operator the scope filter offers: who, and what their scope is (organization names resolved). */
export type ScopedOperatorOption = { id: string; email: string; name: string; scope: ScopeDescription };

/** Every operator with a scope, for the audit page's scope filter (readers of the whole log only). */
export async function listScopedOperatorOptions(api: ManagementApi = getManagementApi()): Promise<ScopedOperatorOption[]> {
  const scoped = (await listOperators()).flatMap((operator) => (operator.scope ? [{ ...operator, scope: operator.scope }] : []));
  return Promise.all(
    scoped.map(async (operator) => ({
      id: operator.id,
      email: operator.email,
      name: operator.name,
      scope: await describeScope(operator.scope, api),
    })),
  );
}

/**
 * One page of the audit page / API, newest first, restricted to the scope. With a user scope
 * (a scoped reader, or the scope filter) the target users are asked at Auth0 batch by batch.
 *
 * @throws AuditScopeFilterError for a `scopeOf` that cannot be applied.
 */
export async function listAuditPage(
  scope: AuditScope,
  state: AuditSearchState,
  limit: number = AUDIT_PAGE_SIZE,
  api: ManagementApi = getManagementApi(),
): Promise<AuditEventPageView> {
  const db = await getPrisma();
  const effective = await withScopeFilter(scope, state);
  const filters = toAuditFilters(state, effective);
  const cursor = state.cursor || null;
  const page = effective.users
    ? await listVisibleAuditEvents(db, filters, cursor, limit, createAuditGate(effective.users, api))
    : await listAuditEvents(db, filters, cursor, limit);
  return toAuditEventPageView(page);
}

/**
 * One event by sequence, or null when it does not exist or lies outside the scope (the two are
 * indistinguishable on purpose). Keyset lookup: the first scoped row below sequence + 1; then,
 * for a scoped reader, its target user asked at Auth0.
 */
export async function findAuditEvent(
  scope: AuditScope,
  sequence: string,
  api: ManagementApi = getManagementApi(),
): Promise<AuditEventView | null> {
  const db = await getPrisma();
  const filters = { onlyActorOperatorId: scope.kind === "own" ? scope.operatorId : null, ...untargetedFilter(scope) };
  const page = await listAuditEvents(db, filters, (BigInt(sequence) + 1n).toString(), 1);
  const event = page.events[0];
  if (!event || event.sequence !== sequence) return null;
  if (scope.users && (await createAuditGate(scope.users, api)([event])).length === 0) return null;
  return toAuditEventView(event);
}

/** Password operations on one Auth0 user (each with its outcome), restricted to the scope. */
export async function listPasswordHistory(
  scope: AuditScope,
  auth0UserId: string,
  limit = 20,
  api: ManagementApi = getManagementApi(),
): Promise<AuditEventPageView> {
  if (scope.users && !(await usersInScope(scope.users.scope, [auth0UserId], api)).has(auth0UserId)) {
    return { events: [], nextCursor: null };
  }
  const db = await getPrisma();
  const page = await listUserPasswordEvents(db, auth0UserId, {
    limit,
    onlyActorOperatorId: scope.kind === "own" ? scope.operatorId : null,
  });
  return toAuditEventPageView(page);
}
