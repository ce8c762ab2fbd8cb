import { ROLES, type Role } from "./permissions";

/**
 * OIDC role mapping (`OIDC_ROLE_MAP`), pure so lib/env.ts validates it at start-up and the
 * sign-in code applies it: `admin=passdesk-admins,support=helpdesk` means "an IdP user whose
 * role claim holds passdesk-admins is an ADMIN". A role may be listed more than once (several
 * groups); a group may appear only once. A user in several mapped groups gets the strongest role.
 */
export type RoleMap = ReadonlyArray<{ role: Role; group: string }>;

/** Strongest first: the role a user in several mapped groups gets. */
const PRECEDENCE: readonly Role[] = ["ADMIN", "SUPPORT", "AUDITOR"];

export class RoleMapError extends Error {
  override name = "RoleMapError";
}

export function parseRoleMap(value: string): RoleMap {
  const entries: { role: Role; group: string }[] = [];
  const groups = new Set<string>();
  for (const raw of value.split(",")) {
    const part = raw.trim();
    if (part === "") continue;
    const match = /^([A-Za-z]+)\s*=\s*(.+)$/.exec(part);
    if (!match) throw new RoleMapError(`"${part}" is not role=group`);
    const role = (match[1] ?? "").toUpperCase();
    const group = (match[2] ?? "").trim();
    if (!(ROLES as readonly string[]).includes(role))
      throw new RoleMapError(`"${match[1]}" is not a role (${ROLES.map((r) => r.toLowerCase()).join(", ")})`);
    if (groups.has(group)) throw new RoleMapError(`group "${group}" is mapped twice`);
    groups.add(group);
    entries.push({ role: role as Role, group });
  }
  if (entries.length === 0) throw new RoleMapError("maps no role");
  return entries;
}

/** The claim's groups: a string array, or one string (space- or comma-separated, as some IdPs send). */
export function claimGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

/** The role the claim maps to, or null when none of its groups is mapped. */
export function mapRole(map: RoleMap, claim: unknown): Role | null {
  const groups = new Set(claimGroups(claim));
  for (const role of PRECEDENCE) {
    if (map.some((entry) => entry.role === role && groups.has(entry.group))) return role;
  }
  return null;
}
