import "server-only";
import { getPrisma } from "@/lib/db";
import { normalizeEmail } from "./operator-service";
import { hashOperatorPassword } from "./operator-password-hash";
import { revokeOperatorSessions } from "./operator-sessions";
import type { StoredScope } from "@/lib/scope/types";
import type { Role } from "./permissions";

/** Operator records as the admin pages and the CLI show them (never the hash). */
export type OperatorSummary = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
};

const summarySelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  createdAt: true,
  lastSignInAt: true,
} as const;

export class OperatorExistsError extends Error {
  constructor(email: string) {
    super(`An operator with the email ${email} already exists.`);
    this.name = "OperatorExistsError";
  }
}

export async function listOperators(): Promise<OperatorSummary[]> {
  const db = await getPrisma();
  return db.operator.findMany({ select: summarySelect, orderBy: [{ disabled: "asc" }, { email: "asc" }] });
}

export async function countOperators(): Promise<number> {
  const db = await getPrisma();
  return db.operator.count();
}

export async function createOperator(input: {
  email: string;
  name: string;
  role: Role;
  password: string;
  /** Written with the operator, so a scoped operator never exists unscoped, even for a moment. */
  scope?: StoredScope | null;
}): Promise<OperatorSummary> {
  const db = await getPrisma();
  const email = normalizeEmail(input.email);
  const passwordHash = await hashOperatorPassword(input.password);
  const existing = await db.operator.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new OperatorExistsError(email);
  return db.operator.create({
    data: { email, name: input.name.trim(), role: input.role, passwordHash, ...(input.scope ? { scope: input.scope } : {}) },
    select: summarySelect,
  });
}

export async function findOperatorByEmail(email: string): Promise<OperatorSummary | null> {
  const db = await getPrisma();
  return db.operator.findUnique({ where: { email: normalizeEmail(email) }, select: summarySelect });
}

export async function findOperatorById(id: string): Promise<OperatorSummary | null> {
  const db = await getPrisma();
  return db.operator.findUnique({ where: { id }, select: summarySelect });
}

/** Changes the role and ends the operator's sessions: the new role starts with a new sign-in. */
export async function setOperatorRole(id: string, role: Role, now = new Date()): Promise<OperatorSummary> {
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    const updated = await tx.operator.update({ where: { id }, data: { role }, select: summarySelect });
    await revokeOperatorSessions(tx, id, "role_changed", now);
    return updated;
  });
}

/** Disabling ends every session at once (re-enabling does not bring old sessions back). */
export async function setOperatorDisabled(id: string, disabled: boolean, now = new Date()): Promise<OperatorSummary> {
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    const updated = await tx.operator.update({ where: { id }, data: { disabled }, select: summarySelect });
    if (disabled) await revokeOperatorSessions(tx, id, "operator_disabled", now);
    return updated;
  });
}
