import "server-only";
import { Auth0Error, getManagementApi, type ManagementApi } from "@/lib/auth0";
import { appendAuditEvent } from "@/lib/audit/append";
import type { AuditAction } from "@/lib/audit/actions";
import type { AuditDetailsInput } from "@/lib/audit/details";
import { can } from "@/lib/auth/can";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { Permission } from "@/lib/auth/permissions";
import type { PrismaClient } from "@/lib/db";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import { failureFromAuth0Error, type PasswordFailure } from "@/lib/danger-zone/failures";
import { maskEmail } from "@/lib/danger-zone/mask-email";
import { DATABASE_TARGET } from "@/lib/danger-zone/operation";
import type { FourEyesFailure } from "@/lib/four-eyes/failure";
import type { PasswordApprovalStatus } from "@/lib/generated/prisma/enums";
import type { RequestMeta } from "@/lib/request-meta";
import { isUserInScope, usersInScope } from "@/lib/scope/resolve";
import type { OperatorScope } from "@/lib/scope/types";
import { isProtectedUser } from "./protected-users";
import { isSameTerms, optionsOf, termsOfRow, type ApprovalOperation, type ApprovalTerms } from "./terms";

/**
 * Four-eyes for password actions on protected users (issue 17, item 5). A request stores what
 * will happen (operation, user, options) — never a password. Another admin approves or rejects
 * it (never the requester: checked here, whatever the UI shows). The requester then performs
 * that exact operation once (admitApprovedOperation, called by the Danger Zone operation):
 * the approval turns USED in one conditional update, so two tabs cannot both use it.
 * Every change is an audit event `approval.*` with details.approvalId, written before the change
 * takes effect where it lets an Auth0 write happen (fail-closed).
 */

export type ApprovalActor = { operator: OperatorIdentity; meta: RequestMeta };

export type ApprovalFailure =
  | FourEyesFailure<PasswordApprovalStatus>
  /** The user is not protected (now): the action needs no approval. */
  | { code: "not_protected" }
  /** Loading or checking the user failed (not found, no password, Auth0 unavailable, …). */
  | { code: "target"; failure: PasswordFailure };

export type ApprovalResult<T> = { ok: true; data: T } | { ok: false; error: ApprovalFailure };

const fail = <T>(error: ApprovalFailure): ApprovalResult<T> => ({ ok: false, error });

/** The permission each operation needs; requesting it needs the same. */
export const OPERATION_PERMISSION: Record<ApprovalOperation, Permission> = {
  "password.set": "password:set",
  "password.reset_email": "password:reset-email",
  "password.ticket": "password:ticket",
};

/** Who has an Approvals page: deciders, and whoever may request a password action. */
export function canSeeApprovals(operator: { role: OperatorIdentity["role"] }): boolean {
  return (
    can(operator, "approvals:decide") ||
    Object.values(OPERATION_PERMISSION).some((permission) => can(operator, permission))
  );
}

type ApprovalRow = {
  id: string;
  operation: string;
  userId: string;
  userEmail: string | null;
  connection: string | null;
  terms: unknown;
};

/** Appends one approval event (single-shot, SUCCEEDED) on the target user. Throws when it cannot. */
async function appendApprovalEvent(
  db: PrismaClient,
  action: Extract<AuditAction, `approval.${string}`>,
  row: ApprovalRow,
  actor: ApprovalActor | null,
  reason: string | null,
): Promise<void> {
  const terms = termsOfRow(row);
  await appendAuditEvent(db, {
    action,
    outcome: "SUCCEEDED",
    actor: actor
      ? { operatorId: actor.operator.id, email: actor.operator.email, role: actor.operator.role }
      : null,
    target: { userId: row.userId, email: row.userEmail, connection: row.connection },
    reason,
    request: actor?.meta ?? { requestId: `approval-${row.id}` },
    details: {
      approvalId: row.id,
      approvalOperation: row.operation,
      connection: row.connection,
      ...(terms ? (optionsOf(terms) as AuditDetailsInput) : {}),
    },
  });
}

const ROW_SELECT = {
  id: true,
  operation: true,
  userId: true,
  userEmail: true,
  connection: true,
  terms: true,
} as const;

/**
 * Stores a request for `terms` on the user, after checking on the server that the operator
 * may perform the operation and that the user is protected (read fresh from Auth0). A second
 * request for the same thing while one waits or is approved returns that one.
 */
export async function requestPasswordApproval(
  deps: DangerZoneDeps,
  input: { userId: string; reason: string; terms: ApprovalTerms },
  actor: ApprovalActor,
  settings: { approvalTtlSec: number },
  now = new Date(),
): Promise<ApprovalResult<{ approvalId: string; status: PasswordApprovalStatus }>> {
  const { terms } = input;
  const needed: Permission[] = [OPERATION_PERMISSION[terms.operation]];
  if (terms.operation === "password.set" && terms.signOutEverywhere) needed.push("sessions:revoke");
  const missing = needed.find((permission) => !can(actor.operator, permission));
  if (missing) return fail({ code: "target", failure: { code: "not_permitted", permission: missing } });
  let target;
  let isProtected: boolean;
  try {
    target = await DATABASE_TARGET.load(input.userId, deps.api);
    if ("code" in target) return fail({ code: "target", failure: target });
    // Scoped operators (issue 16): a user outside the requester's scope is answered like a
    // missing one, checked at Auth0 now; nothing is stored.
    if (!(await isUserInScope(actor.operator.scope, target.user.userId, deps.api)))
      return fail({ code: "target", failure: { code: "not_found" } });
    isProtected = await isProtectedUser(target.user, deps.protection, deps.api);
  } catch (error) {
    if (error instanceof Auth0Error) return fail({ code: "target", failure: failureFromAuth0Error(error) });
    throw error;
  }
  if (!isProtected) return fail({ code: "not_protected" });
  if (terms.operation === "password.reset_email" && !target.user.email)
    return fail({ code: "target", failure: { code: "no_email" } });

  await expirePasswordApprovals(deps.db, now);
  const open = await deps.db.passwordApproval.findMany({
    where: {
      userId: target.user.userId,
      requestedById: actor.operator.id,
      operation: terms.operation,
      status: { in: ["AWAITING_APPROVAL", "APPROVED"] },
    },
    select: { id: true, status: true, operation: true, terms: true },
  });
  const same = open.find((row) => {
    const stored = termsOfRow(row);
    return stored !== null && isSameTerms(stored, terms);
  });
  if (same) return { ok: true, data: { approvalId: same.id, status: same.status } };

  const row = await deps.db.passwordApproval.create({
    data: {
      operation: terms.operation,
      userId: target.user.userId,
      userEmail: target.user.email,
      userName: target.user.name,
      connection: target.identity.connection,
      terms: optionsOf(terms),
      reason: input.reason,
      status: "AWAITING_APPROVAL",
      requestedById: actor.operator.id,
      requestedByEmail: actor.operator.email,
      expiresAt: new Date(now.getTime() + settings.approvalTtlSec * 1000),
    },
    select: ROW_SELECT,
  });
  try {
    await appendApprovalEvent(deps.db, "approval.requested", row, actor, input.reason);
  } catch {
    // No audit event, no request: an unrecorded request must not be approvable.
    await deps.db.passwordApproval.delete({ where: { id: row.id } }).catch(() => undefined);
    return fail({ code: "audit_unavailable" });
  }
  return { ok: true, data: { approvalId: row.id, status: "AWAITING_APPROVAL" } };
}

/** Marks requests nobody decided in time, and approvals nobody used in time, as expired. */
export async function expirePasswordApprovals(db: PrismaClient, now = new Date()): Promise<number> {
  const stale = await db.passwordApproval.findMany({
    where: { status: { in: ["AWAITING_APPROVAL", "APPROVED"] }, expiresAt: { lte: now } },
    select: { ...ROW_SELECT, status: true },
    take: 100,
  });
  let expired = 0;
  for (const row of stale) {
    const { count } = await db.passwordApproval.updateMany({
      where: { id: row.id, status: row.status, expiresAt: { lte: now } },
      data: { status: "EXPIRED" },
    });
    if (count === 1) {
      expired += 1;
      // Expiring allows nothing: a lost event must not keep a request alive.
      await appendApprovalEvent(db, "approval.expired", row, null, null).catch(() => undefined);
    }
  }
  return expired;
}

/**
 * Approves or rejects someone else's request. Refused for the requester, after the deadline,
 * and when someone else decided first. The decision is claimed first (a conditional update
 * that names the decider while the status still waits), so only the decider who won writes the
 * audit event; then the status changes. An approval opens its window of use: APPROVAL_TTL.
 * A decider with a scope gets "not found" for a request whose user is outside it (asked at
 * Auth0 now, `api`); the request keeps waiting for a decider who covers the user.
 */
export async function decidePasswordApproval(
  db: PrismaClient,
  input: { approvalId: string; decision: "approve" | "reject"; reason: string },
  actor: ApprovalActor,
  settings: { approvalTtlSec: number },
  now = new Date(),
  api?: ManagementApi,
): Promise<ApprovalResult<{ status: PasswordApprovalStatus }>> {
  const row = await db.passwordApproval.findUnique({
    where: { id: input.approvalId },
    select: { ...ROW_SELECT, status: true, requestedById: true, expiresAt: true },
  });
  if (!row) return fail({ code: "not_found" });
  if (
    actor.operator.scope !== null &&
    !(await isUserInScope(actor.operator.scope, row.userId, api ?? getManagementApi()))
  )
    return fail({ code: "not_found" });
  if (row.requestedById === actor.operator.id) return fail({ code: "own_request" });
  if (row.status !== "AWAITING_APPROVAL") return fail({ code: "wrong_state", status: row.status });
  if (row.expiresAt.getTime() <= now.getTime()) {
    await expirePasswordApprovals(db, now);
    return fail({ code: "expired" });
  }
  const claimed = await db.passwordApproval.updateMany({
    where: {
      id: row.id,
      status: "AWAITING_APPROVAL",
      decidedById: null,
      requestedById: { not: actor.operator.id },
      expiresAt: { gt: now },
    },
    data: {
      decidedById: actor.operator.id,
      decidedByEmail: actor.operator.email,
      decisionReason: input.reason,
      decidedAt: now,
    },
  });
  if (claimed.count === 0) {
    const current = await db.passwordApproval.findUnique({ where: { id: row.id }, select: { status: true } });
    return fail({ code: "wrong_state", status: current?.status ?? row.status });
  }
  try {
    await appendApprovalEvent(
      db,
      input.decision === "approve" ? "approval.approved" : "approval.rejected",
      row,
      actor,
      input.reason,
    );
  } catch {
    await db.passwordApproval.updateMany({
      where: { id: row.id, status: "AWAITING_APPROVAL", decidedById: actor.operator.id },
      data: { decidedById: null, decidedByEmail: null, decisionReason: null, decidedAt: null },
    });
    return fail({ code: "audit_unavailable" });
  }
  const status: PasswordApprovalStatus = input.decision === "approve" ? "APPROVED" : "REJECTED";
  await db.passwordApproval.updateMany({
    where: { id: row.id, status: "AWAITING_APPROVAL", decidedById: actor.operator.id },
    data: {
      status,
      ...(status === "APPROVED"
        ? { expiresAt: new Date(now.getTime() + settings.approvalTtlSec * 1000) }
        : {}),
    },
  });
  return { ok: true, data: { status } };
}

export type PasswordApprovalSummary = {
  id: string;
  operation: ApprovalOperation;
  terms: ApprovalTerms | null;
  userId: string;
  userName: string;
  emailMasked: string | null;
  connection: string | null;
  reason: string;
  status: PasswordApprovalStatus;
  requestedById: string;
  requestedByEmail: string;
  decidedByEmail: string | null;
  decisionReason: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
};

/**
 * Newest first: all requests (deciders), or one operator's own (`requestedById`); with a
 * `scope` (the reader's), only requests for users in it, asked at Auth0 now.
 */
export async function listPasswordApprovals(
  db: PrismaClient,
  filter: { requestedById?: string; status?: PasswordApprovalStatus; scope?: OperatorScope | null } = {},
  take = 50,
  now = new Date(),
  api?: ManagementApi,
): Promise<PasswordApprovalSummary[]> {
  await expirePasswordApprovals(db, now);
  let rows = await db.passwordApproval.findMany({
    where: { requestedById: filter.requestedById, status: filter.status },
    orderBy: { createdAt: "desc" },
    take,
  });
  if (filter.scope) {
    const visible = await usersInScope(
      filter.scope,
      rows.map((row) => row.userId),
      api ?? getManagementApi(),
    );
    rows = rows.filter((row) => visible.has(row.userId));
  }
  return rows.map((row) => ({
    id: row.id,
    operation: row.operation as ApprovalOperation,
    terms: termsOfRow(row),
    userId: row.userId,
    userName: row.userName,
    emailMasked: row.userEmail ? maskEmail(row.userEmail) : null,
    connection: row.connection,
    reason: row.reason,
    status: row.status,
    requestedById: row.requestedById,
    requestedByEmail: row.requestedByEmail,
    decidedByEmail: row.status === "AWAITING_APPROVAL" ? null : row.decidedByEmail,
    decisionReason: row.status === "AWAITING_APPROVAL" ? null : row.decisionReason,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    usedAt: row.usedAt?.toISOString() ?? null,
  }));
}
