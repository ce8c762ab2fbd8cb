import "server-only";
import { countOperators, createOperator, type OperatorSummary } from "./operator-admin";
import type { Role } from "./permissions";

export const DEMO_OPERATORS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: "admin@passdesk.test", name: "Demo Admin", role: "ADMIN" },
  { email: "support@passdesk.test", name: "Demo Support", role: "SUPPORT" },
  { email: "auditor@passdesk.test", name: "Demo Auditor", role: "AUDITOR" },
];

/** Demo mode only: a database with no operators gets the three demo accounts. */
export async function ensureDemoOperators(password: string): Promise<OperatorSummary[]> {
  if ((await countOperators()) > 0) return [];
  const created: OperatorSummary[] = [];
  for (const operator of DEMO_OPERATORS) created.push(await createOperator({ ...operator, password }));
  return created;
}
