import "server-only";
import type { ManagementApi } from "@/lib/auth0";
import { appendAuditEvent } from "@/lib/audit/append";
import { getRequestLogger } from "@/lib/logger";
import { isUserInScope } from "@/lib/scope/resolve";
import type { PrismaClient } from "@/lib/db";
import type { Operation } from "./operation";
import { describeError } from "./failures";

/**
 * Scoped operators (issue 16) on the action paths: whether the operation's target is in the
 * operator's scope, asked at Auth0 at the moment of the action (lib/scope/resolve isUserInScope,
 * no cache) — never taken from the page. The scope itself is the one read from the database with
 * the operator for this request. Without a scope nothing is asked.
 *
 * Settled, never rejected: the skeleton awaits it only once the idempotency key is claimed.
 * `error` is what Auth0 could not answer (handled like a failed target read: nothing is sent).
 */
export type ScopeCheck = { ok: true; inScope: boolean } | { ok: false; error: unknown };

export function checkTargetScope(operation: Operation, api: ManagementApi): Promise<ScopeCheck> {
  const { scope } = operation.operator;
  if (scope === null) return Promise.resolve({ ok: true, inScope: true });
  return isUserInScope(scope, operation.userId, api).then(
    (inScope) => ({ ok: true as const, inScope }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Records a refused attempt on an existing user outside the operator's scope: one single FAILED
 * event (`errorCode: out_of_scope`, no pending event — nothing was about to go to Auth0), for the
 * security review. Who may read it is the audit log's business: a scoped reader sees only events
 * about users in their own scope, so the operator who tried does not learn the user exists.
 * Best effort: the refusal stands whether or not the event is written.
 */
export async function recordOutOfScope(db: PrismaClient, operation: Operation): Promise<void> {
  try {
    await appendAuditEvent(
      db,
      {
        action: operation.action,
        outcome: "FAILED",
        actor: { operatorId: operation.operator.id, email: operation.operator.email, role: operation.operator.role },
        target: { userId: operation.userId },
        reason: operation.reason,
        request: operation.meta,
        details: { errorCode: "out_of_scope", ...operation.auditDetails },
      },
      { detailsMode: "redact", mustNotContain: operation.mustNotContain ?? [] },
    );
  } catch (error) {
    (await getRequestLogger()).error(
      { requestId: operation.meta.requestId, action: operation.action, err: describeError(error) },
      "audit event of an out-of-scope attempt could not be written",
    );
  }
}
