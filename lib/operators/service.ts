import "server-only";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import { resetMfa } from "@/lib/auth/mfa/service";
import { getPrisma } from "@/lib/db";
import {
  OperatorExistsError,
  createOperator,
  findOperatorByEmail,
  findOperatorById,
  listOperators,
  setOperatorDisabled,
  setOperatorRole,
  setOperatorScope,
  type OperatorSummary,
} from "@/lib/auth/operator-admin";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { generateInitialOperatorPassword } from "@/lib/auth/operator-password-hash";
import type { Role } from "@/lib/auth/permissions";
import type { RequestMeta } from "@/lib/request-meta";
import type { ManagementApi } from "@/lib/auth0/client";
import { listConnections } from "@/lib/auth0/connections";
import { Auth0Error } from "@/lib/auth0/errors";
import { listOrganizations } from "@/lib/auth0/organizations";
import { validateScope, type ScopeInput, type ScopeProblem } from "@/lib/scope/validate";
import { scopeKey, type OperatorScope, type StoredScope } from "@/lib/scope/types";

/**
 * Managing Passdesk's operators: the one way the operators page, the server actions and the CLI
 * (scripts/operator.ts) list, create, enable, disable and re-role operators. Every change is
 * audited here, with the acting operator — or, from the CLI, no operator (`actorEmail` null)
 * and `details.via = "cli"` plus the OS user who ran it.
 */

export { OperatorExistsError, type OperatorSummary };

export type OperatorActor =
  | { kind: "operator"; operator: OperatorIdentity; meta: RequestMeta }
  | { kind: "cli"; osUser: string; requestId: string }
  /** OIDC sign-in applying a mapped scope: no operator acts (like the role it maps). */
  | { kind: "oidc"; meta: RequestMeta };

function auditActor(actor: OperatorActor) {
  if (actor.kind === "oidc") return { actor: null, meta: actor.meta, via: {} };
  return actor.kind === "operator"
    ? { actor: actor.operator, meta: actor.meta, via: {} }
    : {
        actor: null,
        meta: { requestId: actor.requestId, ip: null, userAgent: "passdesk-cli" },
        via: { via: "cli", osUser: actor.osUser.slice(0, 100) },
      };
}

export { findOperatorByEmail, findOperatorById, listOperators };

/** Creates an operator with a generated initial password, returned once and never stored. */
export async function createOperatorWithInitialPassword(
  input: { email: string; name: string; role: Role; password?: string },
  by: OperatorActor,
): Promise<{ operator: OperatorSummary; initialPassword: string; isGenerated: boolean }> {
  const initialPassword = input.password ?? generateInitialOperatorPassword();
  const operator = await createOperator({ email: input.email, name: input.name, role: input.role, password: initialPassword });
  const { actor, meta, via } = auditActor(by);
  await recordOperatorEvent("operator.created", { actor, meta, target: operator, details: { newRole: operator.role, ...via } });
  return { operator, initialPassword, isGenerated: input.password === undefined };
}

/** Changes the role (which ends the operator's sessions). Unchanged roles write nothing. */
export async function changeOperatorRole(target: OperatorSummary, role: Role, by: OperatorActor): Promise<OperatorSummary> {
  if (target.role === role) return target;
  const updated = await setOperatorRole(target.id, role);
  const { actor, meta, via } = auditActor(by);
  await recordOperatorEvent("operator.role_changed", {
    actor,
    meta,
    target: updated,
    details: { previousRole: target.role, newRole: updated.role, ...via },
  });
  return updated;
}

/** How a scope is written into audit details: its key (StoredScope JSON), null for the whole tenant. */
export function scopeDetail(scope: OperatorScope | null): string | null {
  if (scope?.invalid) return "invalid";
  return scopeKey(scope) || null;
}

export type ScopeChange =
  | { ok: true; operator: OperatorSummary; changed: boolean }
  | { ok: false; problems: ScopeProblem[] };

/**
 * Sets an operator's scope (empty input = the whole tenant) after validating it against the
 * tenant (lib/scope/validate.ts); a refused scope saves nothing. Audited as
 * operator.scope_changed with the previous and the new scope. It applies from the operator's
 * next request (the scope is re-read with the role on every request); sessions stay open.
 */
export async function changeOperatorScope(
  target: OperatorSummary,
  input: ScopeInput,
  by: OperatorActor,
  api?: ManagementApi,
): Promise<ScopeChange> {
  const validation = await validateScope(input, api);
  if (!validation.ok) return validation;
  return applyOperatorScope(target, validation.scope, by);
}

/** Stores an already validated scope and audits the change; an unchanged scope writes nothing. */
export async function applyOperatorScope(
  target: OperatorSummary,
  scope: StoredScope | null,
  by: OperatorActor,
  extraDetails: Record<string, string> = {},
): Promise<ScopeChange> {
  const previous = scopeDetail(target.scope);
  const next = scopeDetail(scope);
  if (previous === next) return { ok: true, operator: target, changed: false };
  const updated = await setOperatorScope(target.id, scope);
  const { actor, meta, via } = auditActor(by);
  await recordOperatorEvent("operator.scope_changed", {
    actor,
    meta,
    target: updated,
    details: { previousScope: previous, newScope: next, ...via, ...extraDetails },
  });
  return { ok: true, operator: updated, changed: true };
}

/**
 * What the Operators page offers for a scope: the tenant's connections (by name) and
 * organizations (id, shown by display name); null when Auth0 cannot answer right now.
 */
export async function listScopeChoices(
  api?: ManagementApi,
): Promise<{ connections: { value: string; label: string }[]; organizations: { value: string; label: string }[] } | null> {
  try {
    const [connections, organizations] = await Promise.all([listConnections(api), listOrganizations(api)]);
    return {
      connections: connections.map((connection) => ({ value: connection.name, label: connection.name })),
      organizations: organizations.map((org) => ({ value: org.id, label: org.displayName })),
    };
  } catch (error) {
    if (error instanceof Auth0Error) return null;
    throw error;
  }
}

/** Enables or disables (disabling ends the operator's sessions). */
export async function changeOperatorDisabled(target: OperatorSummary, disabled: boolean, by: OperatorActor): Promise<OperatorSummary> {
  const updated = await setOperatorDisabled(target.id, disabled);
  const { actor, meta, via } = auditActor(by);
  await recordOperatorEvent(disabled ? "operator.disabled" : "operator.enabled", { actor, meta, target: updated, details: { ...via } });
  return updated;
}

/** Removes every MFA factor of the operator and ends all their sessions (they enrol again at next sign-in if required). */
export async function resetOperatorMfa(target: OperatorSummary, by: OperatorActor): Promise<{ sessionsEnded: number }> {
  const db = await getPrisma();
  const result = await resetMfa(db, target.id, new Date());
  const { actor, meta, via } = auditActor(by);
  await recordOperatorEvent("operator.mfa_reset", { actor, meta, target, details: { factor: "all", sessionsEnded: result.sessionsEnded, ...via } });
  return result;
}

/** Requires MFA for one operator (beyond MFA_REQUIRED_ROLES), or lifts that requirement. */
export async function changeOperatorMfaRequired(target: OperatorSummary, required: boolean, by: OperatorActor): Promise<void> {
  const db = await getPrisma();
  await db.operator.update({ where: { id: target.id }, data: { mfaRequired: required }, select: { id: true } });
  const { actor, meta, via } = auditActor(by);
  await recordOperatorEvent("operator.mfa_required", { actor, meta, target, details: { factor: required ? "required" : "not_required", ...via } });
}

/** Per operator: has MFA (an app or a passkey) and whether an admin requires it for them. */
export async function listOperatorsMfa(): Promise<Map<string, { isEnrolled: boolean; isRequired: boolean }>> {
  const db = await getPrisma();
  const rows = await db.operator.findMany({
    select: { id: true, mfaRequired: true, totp: { select: { confirmedAt: true } }, _count: { select: { passkeys: true } } },
  });
  return new Map(rows.map((row) => [row.id, { isEnrolled: Boolean(row.totp?.confirmedAt) || row._count.passkeys > 0, isRequired: row.mfaRequired }]));
}
