import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/db";
import { identitySelect, toOperatorIdentity, type OperatorIdentity } from "./operator-identity";

/**
 * Server-side session records. The session cookie carries only the record's id; every request
 * checks the record, so a revoked session ends at once, even for a copied cookie. A session ends
 * at its absolute expiry (never extended) or after the idle timeout, whichever comes first.
 * Functions take the database and the clock so tests can drive time without sleeping.
 */

export type SessionSettings = {
  /** Absolute lifetime from sign-in. */
  absoluteMs: number;
  /** Longest gap between two requests. */
  idleMs: number;
};

/** `lastSeenAt` is written at most this often, so ordinary requests stay reads. */
export const LAST_SEEN_WRITE_INTERVAL_MS = 60 * 1000;

/** Ended sessions are kept this long after their expiry (to answer "who was signed in"), then pruned. */
export const ENDED_SESSION_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export type RevokeReason = "sign_out" | "operator_disabled" | "role_changed" | "scope_changed" | "mfa_reset" | "ended_by_operator";

/** How a session was authenticated (sign-in or the latest step-up); stored on the session. */
export type AuthMethod = "password" | "password+totp" | "password+recovery_code" | "password+passkey" | "passkey" | "oidc";

export type SessionOperator = OperatorIdentity & { sessionId: string };

/** The operator of a checked session, without the session id (every identity field, whatever is added later). */
export function sessionIdentity({ sessionId: _sessionId, ...identity }: SessionOperator): OperatorIdentity {
  return identity;
}

export async function createOperatorSession(
  db: PrismaClient,
  input: { operatorId: string; ip: string | null; userAgent: string | null; now: Date; settings: SessionSettings; authMethod?: AuthMethod },
): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString("base64url");
  const expiresAt = new Date(input.now.getTime() + input.settings.absoluteMs);
  await db.operatorSession.create({
    data: {
      id,
      operatorId: input.operatorId,
      createdAt: input.now,
      lastSeenAt: input.now,
      expiresAt,
      ip: input.ip,
      userAgent: input.userAgent,
      authenticatedAt: input.now,
      authMethod: input.authMethod ?? "password",
    },
    select: { id: true },
  });
  await db.operatorSession.deleteMany({
    where: { expiresAt: { lt: new Date(input.now.getTime() - ENDED_SESSION_RETENTION_MS) } },
  });
  return { id, expiresAt };
}

/**
 * The operator behind a session id, or null when the session was revoked, has expired (absolute
 * or idle) or the operator is disabled. Counts the request as activity.
 */
export async function validateOperatorSession(
  db: PrismaClient,
  sessionId: string,
  now: Date,
  settings: SessionSettings,
): Promise<SessionOperator | null> {
  const session = await db.operatorSession.findUnique({
    where: { id: sessionId },
    select: {
      lastSeenAt: true,
      expiresAt: true,
      revokedAt: true,
      operator: { select: { ...identitySelect, disabled: true } },
    },
  });
  if (!session || session.revokedAt || session.operator.disabled) return null;
  if (now.getTime() >= session.expiresAt.getTime()) return null;
  if (now.getTime() >= session.lastSeenAt.getTime() + settings.idleMs) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_WRITE_INTERVAL_MS) {
    // Conditional, so concurrent requests write once, and never after a revocation.
    await db.operatorSession.updateMany({
      where: { id: sessionId, revokedAt: null, lastSeenAt: { lt: now } },
      data: { lastSeenAt: now },
    });
  }
  const { operator } = session;
  return { sessionId, ...toOperatorIdentity(operator) };
}

/** Ends one session; returns its operator when it was still open (so sign-out is audited once). */
export async function revokeOperatorSession(
  db: PrismaClient,
  sessionId: string,
  reason: RevokeReason,
  now: Date,
): Promise<OperatorIdentity | null> {
  const { count } = await db.operatorSession.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now, revokeReason: reason },
  });
  if (count === 0) return null;
  const session = await db.operatorSession.findUnique({
    where: { id: sessionId },
    select: { operator: { select: identitySelect } },
  });
  return session?.operator ? toOperatorIdentity(session.operator) : null;
}

/** Ends every open session of an operator (disabled, role changed, MFA reset). */
export async function revokeOperatorSessions(
  db: Pick<PrismaClient, "operatorSession">,
  operatorId: string,
  reason: RevokeReason,
  now: Date,
): Promise<number> {
  const { count } = await db.operatorSession.updateMany({
    where: { operatorId, revokedAt: null },
    data: { revokedAt: now, revokeReason: reason },
  });
  return count;
}

/** A step-up succeeded: the session counts as freshly authenticated from `now`. */
export async function markSessionAuthenticated(db: PrismaClient, sessionId: string, method: AuthMethod, now: Date): Promise<boolean> {
  const { count } = await db.operatorSession.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { authenticatedAt: now, authMethod: method },
  });
  return count > 0;
}

/** When the session last proved who its operator is (null: no such open session). */
export async function getSessionAuthenticatedAt(db: PrismaClient, sessionId: string): Promise<Date | null> {
  const session = await db.operatorSession.findUnique({ where: { id: sessionId }, select: { authenticatedAt: true, revokedAt: true } });
  return session && !session.revokedAt ? session.authenticatedAt : null;
}

/** When the session last proved who its operator is, and when it was signed in (null: no such open session). */
export async function getSessionAuthentication(db: PrismaClient, sessionId: string): Promise<{ authenticatedAt: Date; signedInAt: Date } | null> {
  const session = await db.operatorSession.findUnique({ where: { id: sessionId }, select: { authenticatedAt: true, createdAt: true, revokedAt: true } });
  return session && !session.revokedAt ? { authenticatedAt: session.authenticatedAt, signedInAt: session.createdAt } : null;
}

/** What the browser gets to name a session: a hash, never the id the cookie carries. */
export function sessionHandle(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex").slice(0, 32);
}

export type OperatorSessionSummary = {
  /** sessionHandle(id), not the id. */
  handle: string;
  createdAt: Date;
  lastSeenAt: Date;
  authenticatedAt: Date;
  authMethod: string;
  ip: string | null;
  userAgent: string | null;
  isCurrent: boolean;
};

/** The operator's sessions that are still open (not revoked, not expired, not idle), newest first. */
export async function listOpenOperatorSessions(
  db: PrismaClient,
  input: { operatorId: string; currentSessionId: string | null; now: Date; settings: SessionSettings },
): Promise<OperatorSessionSummary[]> {
  const rows = await db.operatorSession.findMany({
    where: {
      operatorId: input.operatorId,
      revokedAt: null,
      expiresAt: { gt: input.now },
      lastSeenAt: { gt: new Date(input.now.getTime() - input.settings.idleMs) },
    },
    select: { id: true, createdAt: true, lastSeenAt: true, authenticatedAt: true, authMethod: true, ip: true, userAgent: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(({ id, ...row }) => ({ ...row, handle: sessionHandle(id), isCurrent: id === input.currentSessionId }));
}

/** Ends one of the operator's own sessions, named by its handle (never another operator's). */
export async function revokeOwnSession(db: PrismaClient, input: { operatorId: string; handle: string; now: Date }): Promise<boolean> {
  const open = await db.operatorSession.findMany({ where: { operatorId: input.operatorId, revokedAt: null }, select: { id: true } });
  const match = open.find((session) => sessionHandle(session.id) === input.handle);
  if (!match) return false;
  const { count } = await db.operatorSession.updateMany({
    where: { id: match.id, operatorId: input.operatorId, revokedAt: null },
    data: { revokedAt: input.now, revokeReason: "ended_by_operator" },
  });
  return count > 0;
}

/** Ends every open session of the operator except the current one. */
export async function revokeOtherSessions(db: PrismaClient, input: { operatorId: string; keepSessionId: string; now: Date }): Promise<number> {
  const { count } = await db.operatorSession.updateMany({
    where: { operatorId: input.operatorId, revokedAt: null, id: { not: input.keepSessionId } },
    data: { revokedAt: input.now, revokeReason: "ended_by_operator" },
  });
  return count;
}
