import "server-only";
import { admitApprovedOperation, type Admission } from "@/lib/approvals/admission";
import type { ApprovalTerms } from "@/lib/approvals/terms";
import { Auth0Error, type ManagementApi, type UserProfile } from "@/lib/auth0";
import { mayHaveReachedAuth0 } from "@/lib/auth0/errors";
import type { AuditAction } from "@/lib/audit/actions";
import { beginAuditedOperation, type AuditedOperation } from "@/lib/audit/append";
import type { AuditDetailsInput } from "@/lib/audit/details";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getRequestLogger } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import type { DangerZoneDeps } from "./deps";
import { describeError, failure, failureDetails, failureFromAuth0Error, type PasswordFailure, type PasswordResult } from "./failures";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyInputHash,
  releaseIdempotencyKey,
  type IdempotencyInput,
} from "./idempotency";
import { checkTargetScope, recordOutOfScope } from "./scope-check";
import { loadPasswordTarget, type PasswordTarget } from "./target";

/**
 * The skeleton every Danger Zone and account operation runs through: idempotency (while the
 * target is read fresh from Auth0 and checked against the operator's scope) → pending audit
 * event (fail-closed) → one Auth0 call → outcome event → result.
 * Nothing here holds a secret longer than the call.
 */

export type OperationContext = { operator: OperatorIdentity; meta: RequestMeta };

export type Operation = OperationContext & {
  action: AuditAction;
  userId: string;
  reason: string;
  idempotencyKey: string;
  /**
   * The non-secret inputs that decide what the operation does; the idempotency key is bound to
   * their hash, so a key replays only the same request. Never a password.
   */
  input: IdempotencyInput;
  mustNotContain?: readonly string[];
  /** Extra details for the pending event, e.g. the bulk job an item belongs to (`bulkJobId`). */
  auditDetails?: AuditDetailsInput;
  /**
   * A password action: on a protected user it needs an approved request for exactly these terms
   * (lib/approvals), used up here. Undefined = no gate of its own (a bulk job's item: its job was approved).
   */
  approvalTerms?: ApprovalTerms | undefined;
};

/** What a caller other than the dialogs (a bulk job) adds to an operation. */
export type OperationOptions = { auditDetails?: AuditDetailsInput };

export type DatabaseTarget = Extract<PasswordTarget, { kind: "database" }>;

export type OperationSteps<Answer, Data, Target = DatabaseTarget> = {
  /** Checks the target (no upstream call on refusal) and names the pending event's details. */
  prepare(target: Target): PasswordFailure | { details: AuditDetailsInput; email: string | null };
  /** The single Auth0 request. */
  call(target: Target): Promise<Answer>;
  /** Turns the answer into the outcome details, the result, and what a duplicate may replay. */
  finish(answer: Answer, target: Target): { details: AuditDetailsInput; data: Data; stored: Data };
  /** For a request that got no answer: decide from Auth0's state whether it happened. */
  recover?(target: Target, startedAt: Date): Promise<Answer | null>;
};

/**
 * How an operation finds its target at Auth0 on the server (never from what the browser sent):
 * the target, or why there is none. Throws Auth0Error when Auth0 cannot be asked.
 */
export type TargetLoader<Target extends { user: UserProfile }> = {
  load(userId: string, api: ManagementApi): Promise<Target | PasswordFailure>;
  /** The connection the audit event names. */
  connection(target: Target): string | null;
};

/** Password operations: the user's database identity, refused for social/enterprise-only users. */
export const DATABASE_TARGET: TargetLoader<DatabaseTarget> = {
  async load(userId, api) {
    const target = await loadPasswordTarget(userId, api);
    if (target.kind === "not_found") return { code: "not_found" };
    if (target.kind === "no_database_identity") return { code: "no_database_identity", providers: target.providers };
    return target;
  },
  connection: (target) => target.identity.connection,
};

export async function runOperation<Answer, Data>(
  deps: DangerZoneDeps,
  operation: Operation,
  steps: OperationSteps<Answer, Data>,
): Promise<PasswordResult<Data & { isAuditComplete: boolean }>> {
  return runTargetedOperation(deps, operation, DATABASE_TARGET, steps);
}

/** runOperation for any kind of target (account operations act on users of every connection). */
export async function runTargetedOperation<Answer, Data, Target extends { user: UserProfile }>(
  deps: DangerZoneDeps,
  operation: Operation,
  targets: TargetLoader<Target>,
  steps: OperationSteps<Answer, Data, Target>,
): Promise<PasswordResult<Data & { isAuditComplete: boolean }>> {
  const { db } = deps;
  // The fresh read of the target (a GET, no effect at Auth0) runs while the key is claimed: one
  // round trip to Auth0 and one to the database overlap instead of adding up. Its answer is used
  // only once the claim is ours; a duplicate or a refused claim just drops it.
  const targetRead = targets.load(operation.userId, deps.api).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  // Scoped operators (issue 16): the target is checked against the operator's current scope at
  // Auth0 now, beside the read. Out of scope answers exactly what a missing user gets.
  const scopeCheck = checkTargetScope(operation, deps.api);
  const claim = await claimIdempotencyKey(db, {
    key: operation.idempotencyKey,
    operatorId: operation.operator.id,
    action: operation.action,
    inputHash: idempotencyInputHash(operation.action, operation.input),
  }).catch(async (error: unknown) => {
    (await getRequestLogger()).error(
      { requestId: operation.meta.requestId, err: describeError(error) },
      "idempotency key could not be written",
    );
    return null;
  });
  // The database is unusable: the audit log cannot be written either, so nothing goes to Auth0.
  if (claim === null) return failure({ code: "audit_unavailable" });
  const scoped = await scopeCheck;
  if (!scoped.ok || !scoped.inScope) {
    // Not even a stored result is replayed for a user the operator may no longer act on.
    if (claim.status === "claimed") await releaseIdempotencyKey(db, operation.idempotencyKey);
    if (!scoped.ok) {
      if (scoped.error instanceof Auth0Error) return failure(failureFromAuth0Error(scoped.error));
      throw scoped.error;
    }
    const read = await targetRead;
    const exists = read.ok && !("code" in read.value && read.value.code === "not_found");
    if (claim.status === "claimed" && exists) await recordOutOfScope(db, operation);
    return failure({ code: "not_found" });
  }
  if (claim.status === "completed")
    return { ok: true, data: claim.result as Data & { isAuditComplete: boolean } };
  if (claim.status === "in_progress") return failure({ code: "in_progress" });
  if (claim.status === "mismatch") return failure({ code: "key_mismatch" });

  const release = () => releaseIdempotencyKey(db, operation.idempotencyKey);

  const read = await targetRead;
  if (!read.ok) {
    await release();
    if (read.error instanceof Auth0Error) return failure(failureFromAuth0Error(read.error));
    throw read.error;
  }
  const loaded = read.value;
  if ("code" in loaded) {
    await release();
    return failure(loaded);
  }
  const target = loaded;
  const connection = targets.connection(target);
  const prepared = steps.prepare(target);
  if ("code" in prepared) {
    await release();
    return failure(prepared);
  }

  // Four-eyes for protected users, decided from the user just read: no approval, no Auth0 write.
  let admission: Extract<Admission, { ok: true }> | null = null;
  if (operation.approvalTerms) {
    const admitted = await admitApprovedOperation(deps, {
      operator: operation.operator,
      user: target.user,
      terms: operation.approvalTerms,
    });
    if (!admitted.ok) {
      await release();
      return failure(admitted.failure);
    }
    admission = admitted;
  }
  // The approval goes back when nothing happened at Auth0 (audit refused, Auth0 refused).
  const giveBack = async () => admission?.release();

  let audited: AuditedOperation;
  try {
    audited = await beginAuditedOperation(db, {
      actor: {
        operatorId: operation.operator.id,
        email: operation.operator.email,
        role: operation.operator.role,
      },
      action: operation.action,
      target: { userId: target.user.userId, email: prepared.email, connection },
      reason: operation.reason,
      request: operation.meta,
      details: {
        connection,
        idempotencyKey: operation.idempotencyKey,
        ...operation.auditDetails,
        ...prepared.details,
        approvalId: admission?.approvalId ?? undefined,
      },
      mustNotContain: operation.mustNotContain ?? [],
    });
  } catch (error) {
    // Fail-closed: no pending event, no Auth0 call.
    (await getRequestLogger()).error(
      { requestId: operation.meta.requestId, action: operation.action, err: describeError(error) },
      "audit pending event could not be written",
    );
    await Promise.all([release(), giveBack()]);
    return failure({ code: "audit_unavailable" });
  }

  const startedAt = new Date();
  let answer: Answer;
  try {
    answer = await steps.call(target);
  } catch (raw) {
    const durationMs = Date.now() - startedAt.getTime();
    if (!(raw instanceof Auth0Error)) {
      await recordOutcome(audited, "fail", { errorCode: "internal_error", durationMs }, operation);
      await Promise.all([release(), giveBack()]);
      throw raw;
    }
    const isOutcomeUnknown = mayHaveReachedAuth0(raw);
    const recovered =
      isOutcomeUnknown && steps.recover ? await steps.recover(target, startedAt).catch(() => null) : null;
    if (recovered === null) {
      const details = failureDetails(raw, durationMs);
      if (!isOutcomeUnknown) {
        await recordOutcome(audited, "fail", details, operation);
        await giveBack();
      } else if (steps.recover) {
        // Not seen at Auth0 yet is no proof it failed: the request may still be running there.
        // The pending event stays open (shown as "outcome unknown") for the reconciliation job,
        // which settles it from last_password_reset once no request can still be in flight.
        (await getRequestLogger()).warn(
          { action: operation.action, pendingSequence: audited.sequence.toString(), ...details },
          "outcome unknown; left pending for reconciliation",
        );
      } else {
        // Nothing at Auth0 can tell later whether it happened: record that we do not know.
        await recordOutcome(audited, "unknown", details, operation);
      }
      await release();
      return failure(failureFromAuth0Error(raw));
    }
    answer = recovered;
  }

  const finished = steps.finish(answer, target);
  const isAuditComplete = await recordOutcome(
    audited,
    "succeed",
    { ...finished.details, durationMs: Date.now() - startedAt.getTime() },
    operation,
  );
  try {
    await completeIdempotencyKey(db, operation.idempotencyKey, {
      ...finished.stored,
      isAuditComplete,
    } as Prisma.InputJsonValue);
  } catch (error) {
    (await getRequestLogger()).warn(
      { requestId: operation.meta.requestId, err: describeError(error) },
      "idempotency result could not be stored",
    );
  }
  return { ok: true, data: { ...finished.data, isAuditComplete } };
}

/** Writes the outcome event; a failure leaves the pending event for reconciliation ("outcome unknown"). */
async function recordOutcome(
  audited: AuditedOperation,
  kind: "succeed" | "fail" | "unknown",
  details: AuditDetailsInput,
  operation: Operation,
): Promise<boolean> {
  try {
    await audited[kind](details);
    return true;
  } catch (error) {
    (await getRequestLogger()).error(
      {
        requestId: operation.meta.requestId,
        action: operation.action,
        pendingSequence: audited.sequence.toString(),
        err: describeError(error),
      },
      "audit outcome event could not be written; the pending event stays unresolved",
    );
    return false;
  }
}
