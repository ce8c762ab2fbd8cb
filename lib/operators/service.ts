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
  type OperatorSummary,
} from "@/lib/auth/operator-admin";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { generateInitialOperatorPassword } from "@/lib/auth/operator-password-hash";
import type { Role } from "@/lib/auth/permissions";
import type { RequestMeta } from "@/lib/request-meta";

/**
 * Managing Passdesk's operators: the one way the operators page, the server actions and the CLI
 * (scripts/operator.ts) list, create, enable, disable and re-role operators. Every change is
 * audited here, with the acting operator — or, from the CLI, no operator (`actorEmail` null)
 * and `details.via = "cli"` plus the OS user who ran it.
 */

export { OperatorExistsError, type OperatorSummary };

export type OperatorActor =
  | { kind: "operator"; operator: OperatorIdentity; meta: RequestMeta }
  | { kind: "cli"; osUser: string; requestId: string };

function auditActor(actor: OperatorActor) {
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
