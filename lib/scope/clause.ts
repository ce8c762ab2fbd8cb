import { hasBalancedGroups, MAX_LUCENE_QUERY_LENGTH, quoteLucenePhrase } from "@/lib/auth0/lucene";

/**
 * The Lucene side of scoped operators (issue 16): how a resolved scope becomes one clause that
 * is AND-ed with every search. Pure (no I/O), so lib/auth0's search can apply it and unit tests
 * can pin the exact strings. Every value inside the clause is a quoted phrase built by
 * lib/auth0/lucene's escaping helpers; the only raw text is the scope's own Lucene filter, which
 * must have balanced groups and is parenthesised, so it cannot leave its group.
 */

/** What a scope allows, ready for a search. */
export type ResolvedScope =
  | { kind: "all" }
  /** `reason` is a code the UI translates (messages Scope.reason.*); `detail` names the culprit. */
  | { kind: "none"; reason: ScopeNoneReason; detail?: string }
  /** `clause`: parenthesised, AND-ed in front of the operator's own query. */
  | { kind: "limited"; clause: string };

export const SCOPE_NONE_REASONS = [
  "invalid",
  "filter_invalid",
  "connection_missing",
  "connections_unavailable",
  "organization_missing",
  "organization_unavailable",
  "too_many_members",
  "no_members",
] as const;
export type ScopeNoneReason = (typeof SCOPE_NONE_REASONS)[number];

export const ALL_USERS: ResolvedScope = Object.freeze({ kind: "all" }) as ResolvedScope;

/**
 * At most this many organization members are put into a scope's clause. Auth0 lists members up
 * to 1,000 (and the SDK's paging stops there in lib/auth0/organizations), so a larger set cannot
 * even be read completely: such a scope resolves to nobody, never to a partial or whole tenant.
 */
export const MAX_SCOPE_MEMBERS = 1_000;

/** `field:("a" OR "b")`: one group of exact values on one field (Lucene field grouping). */
export function anyOfClause(field: string, values: readonly string[]): string {
  return `${field}:(${values.map(quoteLucenePhrase).join(" OR ")})`;
}

/** The parts a scope is made of, already read from Auth0 (organizations as member user ids). */
export type ScopeParts = {
  connections: readonly string[];
  /** Null: the scope names no organization. Empty: it does, and they have no members. */
  memberIds: readonly string[] | null;
  filter: string | null;
};

/**
 * The scope's clause, or a "none" answer. Every given part must hold (AND): an identity in one
 * of the connections, membership of one of the organizations, the filter.
 */
export function buildScopeClause(parts: ScopeParts): ResolvedScope {
  const clauses: string[] = [];
  if (parts.connections.length > 0) clauses.push(anyOfClause("identities.connection", parts.connections));
  if (parts.memberIds !== null) {
    if (parts.memberIds.length > MAX_SCOPE_MEMBERS) return { kind: "none", reason: "too_many_members" };
    // Organizations without members: a valid but empty slice. Nobody, without asking Auth0.
    if (parts.memberIds.length === 0) return { kind: "none", reason: "no_members" };
    clauses.push(anyOfClause("user_id", [...new Set(parts.memberIds)].sort()));
  }
  if (parts.filter !== null) {
    const filter = parts.filter.trim();
    if (filter === "" || filter.length > MAX_LUCENE_QUERY_LENGTH || !hasBalancedGroups(filter)) {
      return { kind: "none", reason: "filter_invalid" };
    }
    clauses.push(`(${filter})`);
  }
  // A stored scope always has a part (parseStoredScope); an empty one here is damage: nobody.
  if (clauses.length === 0) return { kind: "none", reason: "invalid" };
  return { kind: "limited", clause: `(${clauses.join(" AND ")})` };
}

/**
 * The operator's query AND the scope. `undefined` = every user the scope allows (no query, no
 * scope); `null` = nobody: the caller answers with an empty result and makes no Auth0 call.
 * `q` comes from buildUserSearchQuery (balanced), and is parenthesised so its ORs stay inside.
 */
export function restrictQuery(q: string | undefined, resolved: ResolvedScope): string | undefined | null {
  switch (resolved.kind) {
    case "all":
      return q;
    case "none":
      return null;
    case "limited":
      return q ? `${resolved.clause} AND (${q})` : resolved.clause;
  }
}
