import { storedScopeSchema } from "@/lib/scope/schema";
import { normalizeScope, scopeKey, type StoredScope } from "@/lib/scope/types";
import { claimGroups } from "./oidc-role-map";

/**
 * OIDC scope mapping (`OIDC_SCOPE_MAP`, issue 16), pure so lib/env.ts validates it at start-up
 * and the sign-in code applies it. A JSON object from a claim value (group) to the scope an
 * operator in that group gets (lib/scope StoredScope), or `null` for the whole tenant:
 *
 *     {"eu-helpdesk": {"filter": "app_metadata.region:\"eu\""}, "passdesk-admins": null}
 *
 * Fail closed: a user in none of the groups is refused (`no_scope`) unless the map has a `"*"`
 * entry, which is then their scope; a user in several groups with different scopes is refused
 * as ambiguous (`scope_ambiguous`) — scopes AND their parts, so there is no union to give, and
 * picking one could widen the access by accident. An empty scope object is refused: the whole
 * tenant must be written as `null`.
 */
export type ScopeMap = ReadonlyArray<{ group: string; scope: StoredScope | null }>;

/** The entry for a user whose claim holds none of the map's groups. */
export const ANY_GROUP = "*";

export class ScopeMapError extends Error {
  override name = "ScopeMapError";
}

export function parseScopeMap(value: string): ScopeMap {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new ScopeMapError("is not JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ScopeMapError("is not a JSON object");
  const entries: { group: string; scope: StoredScope | null }[] = [];
  for (const [rawGroup, rawScope] of Object.entries(json)) {
    const group = rawGroup.trim();
    if (group === "") throw new ScopeMapError("has an empty group");
    if (entries.some((entry) => entry.group === group)) throw new ScopeMapError(`group "${group}" is mapped twice`);
    if (rawScope === null) {
      entries.push({ group, scope: null });
      continue;
    }
    const parsed = storedScopeSchema.safeParse(rawScope);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
      throw new ScopeMapError(`group "${group}": ${where}${issue?.message ?? "not a scope"}`);
    }
    const scope = normalizeScope(parsed.data as StoredScope);
    if (!scope) throw new ScopeMapError(`group "${group}" has an empty scope (write null for the whole tenant)`);
    entries.push({ group, scope });
  }
  if (entries.length === 0) throw new ScopeMapError("maps no group");
  return entries;
}

export type ScopeMapping = { ok: true; scope: StoredScope | null } | { ok: false; reason: "no_scope" | "scope_ambiguous" };

/** The scope the claim maps to; several groups must agree on one scope. */
export function mapScope(map: ScopeMap, claim: unknown): ScopeMapping {
  const groups = new Set(claimGroups(claim));
  const matched = map.filter((entry) => entry.group !== ANY_GROUP && groups.has(entry.group));
  const candidates = matched.length > 0 ? matched : map.filter((entry) => entry.group === ANY_GROUP);
  const first = candidates[0];
  if (!first) return { ok: false, reason: "no_scope" };
  const key = scopeKey(first.scope);
  if (candidates.some((entry) => scopeKey(entry.scope) !== key)) return { ok: false, reason: "scope_ambiguous" };
  return { ok: true, scope: first.scope };
}
