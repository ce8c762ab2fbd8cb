import "server-only";
import { listOrganizations } from "@/lib/auth0/organizations";
import type { StoredScope } from "@/lib/scope/types";
import { countOperators, createOperator, type OperatorSummary } from "./operator-admin";
import type { Role } from "./permissions";

/** A demo operator; `scope` in demo terms (an organization by name, resolved against the tenant). */
type DemoOperator = {
  email: string;
  name: string;
  role: Role;
  scope?: { filter?: string; organizationName?: string };
};

export const DEMO_OPERATORS: ReadonlyArray<DemoOperator> = [
  { email: "admin@passdesk.test", name: "Demo Admin", role: "ADMIN" },
  { email: "support@passdesk.test", name: "Demo Support", role: "SUPPORT" },
  { email: "auditor@passdesk.test", name: "Demo Auditor", role: "AUDITOR" },
  // Scoped operators (issue 16): a regional help desk and a customer's own help desk.
  { email: "eu-support@passdesk.test", name: "EU Support", role: "SUPPORT", scope: { filter: 'app_metadata.region:"eu"' } },
  { email: "acme-support@passdesk.test", name: "Acme Support", role: "SUPPORT", scope: { organizationName: "acme" } },
  // A regional auditor: reads and exports the audit log of EU users only (issue 16, item 4).
  { email: "eu-auditor@passdesk.test", name: "EU Auditor", role: "AUDITOR", scope: { filter: 'app_metadata.region:"eu"' } },
];

/** The stored scope of a demo operator; null when its organization is not in the tenant. */
async function demoScope(scope: NonNullable<DemoOperator["scope"]>): Promise<StoredScope | null> {
  const organizations: string[] = [];
  if (scope.organizationName) {
    const organization = (await listOrganizations()).find((o) => o.name === scope.organizationName);
    if (!organization) return null;
    organizations.push(organization.id);
  }
  return { connections: [], organizations, filter: scope.filter ?? null };
}

/**
 * Demo mode only: a database with no operators gets the demo accounts. A scoped one whose
 * organization the tenant does not have is left out (never created unscoped).
 */
export async function ensureDemoOperators(password: string): Promise<OperatorSummary[]> {
  if ((await countOperators()) > 0) return [];
  const created: OperatorSummary[] = [];
  for (const { scope, ...operator } of DEMO_OPERATORS) {
    const stored = scope ? await demoScope(scope) : null;
    if (scope && !stored) continue;
    created.push(await createOperator({ ...operator, password, scope: stored }));
  }
  return created;
}
