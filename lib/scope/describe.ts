import "server-only";
import { getManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { Auth0Error } from "@/lib/auth0/errors";
import { listOrganizations } from "@/lib/auth0/organizations";
import { MEMBERS_TTL_MS } from "./resolve";
import type { OperatorScope } from "./types";

/** A scope as the header shows it (a small DTO): organization names instead of ids. */
export type ScopeDescription = {
  invalid: boolean;
  connections: string[];
  /** Display names; the id when the organization is not (or no longer) known. */
  organizations: string[];
  filter: string | null;
  /** The compact form: `region eu · Acme Corporation`. */
  summary: string;
};

/** Longest filter text in the compact form. */
const SUMMARY_FILTER_LENGTH = 24;
/** `app_metadata.region:"eu"` → `region eu`: the common one-field filter, short. */
const SIMPLE_FILTER = /^(?:[\w-]+\.)*([\w-]+):"?([^"\s()]+)"?$/u;

function shortFilter(filter: string): string {
  const simple = SIMPLE_FILTER.exec(filter);
  if (simple) return `${simple[1]} ${simple[2]}`;
  return filter.length > SUMMARY_FILTER_LENGTH ? `${filter.slice(0, SUMMARY_FILTER_LENGTH - 1)}…` : filter;
}

/** Organization id → display name, kept as long as member lists are (names change rarely). */
async function organizationNames(api: ManagementApi): Promise<Map<string, string>> {
  try {
    const organizations = await api.cached("scope-organization-names", MEMBERS_TTL_MS, () => listOrganizations(api));
    return new Map(organizations.map((organization) => [organization.id, organization.displayName]));
  } catch (error) {
    // The header still shows the scope, by id.
    if (error instanceof Auth0Error) return new Map();
    throw error;
  }
}

/** What the header says about an operator's scope. */
export async function describeScope(scope: OperatorScope, api: ManagementApi = getManagementApi()): Promise<ScopeDescription> {
  const names = scope.organizations.length > 0 ? await organizationNames(api) : new Map<string, string>();
  const organizations = scope.organizations.map((id) => names.get(id) ?? id);
  const parts = [...(scope.filter ? [shortFilter(scope.filter)] : []), ...scope.connections, ...organizations];
  return {
    invalid: scope.invalid === true,
    connections: [...scope.connections],
    organizations,
    filter: scope.filter,
    summary: parts.join(" · "),
  };
}
