import type { Role } from "./permissions";
import { parseStoredScope } from "@/lib/scope/schema";
import type { OperatorScope } from "@/lib/scope/types";

/**
 * What the rest of the app knows about the signed-in operator (never the password hash).
 * `scope` is re-read with the role on every request: null = the whole tenant (lib/scope/types.ts).
 */
export type OperatorIdentity = { id: string; email: string; name: string; role: Role; scope: OperatorScope | null };

export const identitySelect = { id: true, email: true, name: true, role: true, scope: true } as const;

/** An operator row as `identitySelect` reads it (the scope still the stored JSON). */
export type OperatorIdentityRow = { id: string; email: string; name: string; role: Role; scope: unknown };

/** The identity of an operator row read with `identitySelect` (the stored scope parsed, fail-closed). */
export function toOperatorIdentity(operator: OperatorIdentityRow): OperatorIdentity {
  return { id: operator.id, email: operator.email, name: operator.name, role: operator.role, scope: parseStoredScope(operator.scope) };
}
