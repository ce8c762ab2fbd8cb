/**
 * Scoped operators (issue 16). An operator's scope limits which Auth0 users they may see and act
 * on. Pure types and helpers: safe for client components (no zod, no server-only imports).
 *
 * Semantics, decided here once and used everywhere:
 * - `null` (no scope) = the whole tenant.
 * - Otherwise every part that is given must hold (AND): the user has an identity in one of
 *   `connections` (when non-empty) AND is a member of one of `organizations` (when non-empty)
 *   AND matches the Lucene `filter` (when set).
 * - A scope that is stored but does not parse (`invalid: true`) or no longer resolves (an
 *   organization that is gone, say) limits the operator to nobody — never to everybody.
 */
export type OperatorScope = {
  /** Auth0 connection names; the user has an identity in one of them. Empty = any connection. */
  connections: string[];
  /** Auth0 organization ids (`org_…`); the user is a member of one of them. Empty = any. */
  organizations: string[];
  /** A Lucene filter in Auth0's user-search syntax, AND-ed with every search; null = none. */
  filter: string | null;
  /** Set when the stored value could not be read: the operator sees nobody. */
  invalid?: true;
};

/** What a scope is stored as in Operator.scope (JSON) and shown in audit details. */
export type StoredScope = { connections: string[]; organizations: string[]; filter: string | null };

/** A scope that lets nobody through (stored value unreadable). */
export const INVALID_SCOPE: OperatorScope = Object.freeze({
  connections: [],
  organizations: [],
  filter: null,
  invalid: true,
}) as OperatorScope;

/** Sorted, de-duplicated, trimmed copy; null when nothing is set (= the whole tenant). */
export function normalizeScope(scope: StoredScope | null): StoredScope | null {
  if (!scope) return null;
  const list = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter(Boolean))].sort();
  const connections = list(scope.connections);
  const organizations = list(scope.organizations);
  const filter = scope.filter?.trim() ? scope.filter.trim() : null;
  if (connections.length === 0 && organizations.length === 0 && filter === null) return null;
  return { connections, organizations, filter };
}

/**
 * One stable string per scope ("" for the whole tenant), for audit details, the audit filter
 * and equality checks. Normalized first, so the same scope always gives the same key.
 */
export function scopeKey(scope: StoredScope | null): string {
  const normalized = normalizeScope(scope);
  return normalized ? JSON.stringify(normalized) : "";
}
