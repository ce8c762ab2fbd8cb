import "server-only";
import { getManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { listConnections } from "@/lib/auth0/connections";
import { Auth0Error, Auth0InvalidRequestError, Auth0NotFoundError } from "@/lib/auth0/errors";
import { listOrganizationMembers, listOrganizations, listUserOrganizations } from "@/lib/auth0/organizations";
import { isPlausibleUserId, listUserIdsMatching } from "@/lib/auth0/users";
import {
  ALL_USERS,
  anyOfClause,
  buildScopeClause,
  MAX_SCOPE_MEMBERS,
  restrictQuery,
  type ResolvedScope,
} from "./clause";
import type { OperatorScope } from "./types";

export { ALL_USERS, restrictQuery, type ResolvedScope } from "./clause";

/**
 * Scoped operators on the server (issue 16): a stored scope → what Auth0 search may return.
 *
 * - `resolveScope` is for searches (the users list): organizations become their member ids,
 *   read through GET /organizations/{id}/members and kept for MEMBERS_TTL_MS per organization
 *   (a search per keystroke must not list members each time; Auth0's lists are eventually
 *   consistent anyway, so a membership change shows in the list within the TTL).
 * - `isUserInScope` / `usersInScope` are for everything about one user (profile, timeline,
 *   actions): no cache, asked at that moment. Organizations through
 *   GET /users/{id}/organizations (immediately consistent); connections and the filter through
 *   one search `user_id:"…" AND (scope)` (Auth0's search index: eventually consistent, a user
 *   created a moment ago may not be found yet — the safe side).
 * Anything that cannot be resolved (a stored scope that did not parse, an organization or a
 * connection that is gone, Auth0 unable to say who the members are) resolves to nobody.
 */

/** How long an organization's member list is reused by searches (never by one-user checks). */
export const MEMBERS_TTL_MS = 30_000;

/** Ids per batched search in usersInScope (well under Auth0's 100 per page). */
const ID_BATCH = 50;

type Failure = Extract<ResolvedScope, { kind: "none" }>;

/** The scope's connections must all still exist (a renamed one would otherwise widen nothing, silently). */
async function checkConnections(connections: readonly string[], api: ManagementApi): Promise<Failure | null> {
  if (connections.length === 0) return null;
  let names: Set<string>;
  try {
    names = new Set((await listConnections(api)).map((connection) => connection.name));
  } catch (error) {
    if (error instanceof Auth0Error) return { kind: "none", reason: "connections_unavailable" };
    throw error;
  }
  const missing = connections.find((name) => !names.has(name));
  return missing === undefined ? null : { kind: "none", reason: "connection_missing", detail: missing };
}

/** Member ids of every organization (fresh or cached), or why they cannot be known. */
async function readMembers(
  organizations: readonly string[],
  api: ManagementApi,
  isCached: boolean,
): Promise<string[] | Failure> {
  const ids: string[] = [];
  for (const organization of organizations) {
    const load = () => listOrganizationMembers(organization, api).then((members) => members.map((m) => m.userId));
    let members: string[];
    try {
      members = isCached ? await api.cached(`scope-members:${organization}`, MEMBERS_TTL_MS, load) : await load();
    } catch (error) {
      if (error instanceof Auth0NotFoundError) return { kind: "none", reason: "organization_missing", detail: organization };
      if (error instanceof Auth0Error) return { kind: "none", reason: "organization_unavailable", detail: organization };
      throw error;
    }
    // lib/auth0 stops listing at 1,000: a list that long may be cut, so it is never trusted.
    if (members.length >= MAX_SCOPE_MEMBERS) return { kind: "none", reason: "too_many_members", detail: organization };
    ids.push(...members);
  }
  return ids;
}

/** A scope → the clause every search of this operator is AND-ed with (or all / none). */
export async function resolveScope(
  scope: OperatorScope | null,
  api: ManagementApi = getManagementApi(),
): Promise<ResolvedScope> {
  if (scope === null) return ALL_USERS;
  if (scope.invalid) return { kind: "none", reason: "invalid" };
  const [connectionFailure, members] = await Promise.all([
    checkConnections(scope.connections, api),
    scope.organizations.length > 0 ? readMembers(scope.organizations, api, true) : Promise.resolve(null),
  ]);
  if (connectionFailure) return connectionFailure;
  if (members !== null && !Array.isArray(members)) return members;
  return buildScopeClause({ connections: scope.connections, memberIds: members, filter: scope.filter });
}

/** The scope without its organizations (they are checked per user, not through the search index). */
function searchablePart(scope: OperatorScope): OperatorScope | null {
  if (scope.connections.length === 0 && scope.filter === null) return null;
  return { connections: scope.connections, organizations: [], filter: scope.filter };
}

/** Of `userIds`, those the search finds within the connections and filter part of the scope. */
async function idsMatchingSearchPart(
  scope: OperatorScope,
  userIds: readonly string[],
  api: ManagementApi,
): Promise<Set<string> | null> {
  const searchable = searchablePart(scope);
  if (searchable === null) return new Set(userIds);
  const resolved = buildScopeClause({ connections: searchable.connections, memberIds: null, filter: searchable.filter });
  if (resolved.kind !== "limited") return null;
  const found = new Set<string>();
  for (let start = 0; start < userIds.length; start += ID_BATCH) {
    const batch = userIds.slice(start, start + ID_BATCH);
    const q = restrictQuery(anyOfClause("user_id", batch), resolved) as string;
    try {
      for (const id of await listUserIdsMatching(q, batch.length, api)) found.add(id);
    } catch (error) {
      // Auth0 refusing the filter (a syntax it does not accept): the scope matches nobody.
      if (error instanceof Auth0InvalidRequestError) return null;
      throw error;
    }
  }
  return found;
}

/**
 * Whether one user is in the operator's scope, asked now (no cache): for a profile read, the
 * timeline and every action. False for a malformed or unknown id, and whenever the scope does
 * not resolve. Auth0 outages throw (the caller shows its usual "Auth0 unavailable").
 */
export async function isUserInScope(
  scope: OperatorScope | null,
  userId: string,
  api: ManagementApi = getManagementApi(),
): Promise<boolean> {
  return (await usersInScope(scope, [userId], api)).has(userId);
}

/**
 * Of `userIds`, the ones in the operator's scope, asked now (no cache), in batches: one search
 * per 50 ids for connections and filter, the organizations' member lists read fresh once.
 * With no scope, every plausible id is returned (existence is the caller's business).
 */
export async function usersInScope(
  scope: OperatorScope | null,
  userIds: readonly string[],
  api: ManagementApi = getManagementApi(),
): Promise<Set<string>> {
  const ids = [...new Set(userIds)].filter(isPlausibleUserId);
  if (scope === null) return new Set(ids);
  if (scope.invalid || ids.length === 0) return new Set();
  const connectionFailure = await checkConnections(scope.connections, api);
  if (connectionFailure) return new Set();
  const [inSearch, inOrganizations] = await Promise.all([
    idsMatchingSearchPart(scope, ids, api),
    idsInOrganizations(scope.organizations, ids, api),
  ]);
  if (inSearch === null || inOrganizations === null) return new Set();
  return new Set(ids.filter((id) => inSearch.has(id) && inOrganizations.has(id)));
}

/**
 * Of `userIds`, the members of one of `organizations`. One id: the user's own memberships
 * (GET /users/{id}/organizations, immediately consistent); several: each organization's member
 * list, read fresh. Null when an organization is gone or cannot be read (nobody).
 */
async function idsInOrganizations(
  organizations: readonly string[],
  userIds: readonly string[],
  api: ManagementApi,
): Promise<Set<string> | null> {
  if (organizations.length === 0) return new Set(userIds);
  const wanted = new Set(organizations);
  if (userIds.length === 1) {
    const [userId] = userIds as [string];
    const [memberships, exist] = await Promise.all([
      listUserOrganizations(userId, api),
      // Still confirm the scope's organizations exist: a vanished one means nobody (as in searches).
      organizationsExist(organizations, api),
    ]);
    if (!exist) return null;
    return memberships?.some((organization) => wanted.has(organization.id)) ? new Set(userIds) : new Set();
  }
  const members = await readMembers(organizations, api, false);
  if (!Array.isArray(members)) return null;
  const memberSet = new Set(members);
  return new Set(userIds.filter((id) => memberSet.has(id)));
}

/** Whether every one of `organizations` still exists (GET /organizations; unreadable → false). */
async function organizationsExist(organizations: readonly string[], api: ManagementApi): Promise<boolean> {
  try {
    const known = new Set((await listOrganizations(api)).map((organization) => organization.id));
    return organizations.every((id) => known.has(id));
  } catch (error) {
    if (error instanceof Auth0Error) return false;
    throw error;
  }
}
