import "server-only";
import { getPrisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseStoredScope } from "@/lib/scope/schema";
import type { OperatorScope, StoredScope } from "@/lib/scope/types";
import { normalizeEmail } from "./operator-service";
import { hashOperatorPassword } from "./operator-password-hash";
import { revokeOperatorSessions } from "./operator-sessions";
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
  /** null = the whole tenant; a stored value that does not parse reads as INVALID_SCOPE (nobody). */
  scope: OperatorScope | null;
};

const summarySelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  createdAt: true,
  lastSignInAt: true,
  scope: true,
} as const;

function toSummary<Row extends { scope: unknown }>(row: Row): Omit<Row, "scope"> & { scope: OperatorScope | null } {
  return { ...row, scope: parseStoredScope(row.scope) };
}

export class OperatorExistsError extends Error {
  constructor(email: string) {
    super(`An operator with the email ${email} already exists.`);
    this.name = "OperatorExistsError";
  }
}

export async function listOperators(): Promise<OperatorSummary[]> {
  const db = await getPrisma();
  const rows = await db.operator.findMany({ select: summarySelect, orderBy: [{ disabled: "asc" }, { email: "asc" }] });
  return rows.map(toSummary);
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
  return toSummary(
    await db.operator.create({
      data: { email, name: input.name.trim(), role: input.role, passwordHash, ...(input.scope ? { scope: input.scope } : {}) },
      select: summarySelect,
    }),
  );
}

export async function findOperatorByEmail(email: string): Promise<OperatorSummary | null> {
  const db = await getPrisma();
  const row = await db.operator.findUnique({ where: { email: normalizeEmail(email) }, select: summarySelect });
  return row ? toSummary(row) : null;
}

export async function findOperatorById(id: string): Promise<OperatorSummary | null> {
  const db = await getPrisma();
  const row = await db.operator.findUnique({ where: { id }, select: summarySelect });
  return row ? toSummary(row) : null;
}

/** Changes the role and ends the operator's sessions: the new role starts with a new sign-in. */
export async function setOperatorRole(id: string, role: Role, now = new Date()): Promise<OperatorSummary> {
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    const updated = await tx.operator.update({ where: { id }, data: { role }, select: summarySelect });
    await revokeOperatorSessions(tx, id, "role_changed", now);
    return toSummary(updated);
  });
}

/** Disabling ends every session at once (re-enabling does not bring old sessions back). */
export async function setOperatorDisabled(id: string, disabled: boolean, now = new Date()): Promise<OperatorSummary> {
  const db = await getPrisma();
  return db.$transaction(async (tx) => {
    const updated = await tx.operator.update({ where: { id }, data: { disabled }, select: summarySelect });
    if (disabled) await revokeOperatorSessions(tx, id, "operator_disabled", now);
    return toSummary(updated);
  });
}

/**
 * Stores a scope that lib/scope/validate.ts has accepted (null = the whole tenant). Sessions stay
 * open: the scope is re-read with the role on every request, so it applies from the next one.
 */
export async function setOperatorScope(id: string, scope: StoredScope | null): Promise<OperatorSummary> {
  const db = await getPrisma();
  const updated = await db.operator.update({
    where: { id },
    data: { scope: scope === null ? Prisma.DbNull : scope },
    select: summarySelect,
  });
  return toSummary(updated);
}
