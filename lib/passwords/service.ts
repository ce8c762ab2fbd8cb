import "server-only";
import {
  Auth0CredentialsError,
  Auth0Error,
  Auth0InvalidRequestError,
  Auth0NotFoundError,
  Auth0RateLimitError,
  Auth0ScopeError,
  getManagementApi,
  type ManagementApi,
} from "@/lib/auth0";
import { mayHaveReachedAuth0, upstreamFailureKind, type UpstreamFailureKind } from "@/lib/auth0/errors";
import {
  createPasswordChangeTicket,
  getAuthenticationApi,
  setUserPassword,
  type AuthenticationApi,
} from "@/lib/auth0/passwords";
import { beginAuditedOperation, type AuditedOperation } from "@/lib/audit/append";
import type { AuditDetailsInput } from "@/lib/audit/details";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { getPrisma, type PrismaClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";
import { getRequestLogger } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import type { CreateTicketInput, SendResetEmailInput, SetPasswordInput } from "@/lib/validations/passwords";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "./idempotency";
import { maskEmail } from "./mask-email";
import { classifyPasswordPolicyError, type PasswordPolicyErrorKind } from "./policy-errors";
import { loadPasswordTarget, type PasswordTarget } from "./target";

/**
 * The Danger Zone's server-side orchestration: idempotency → fresh target from Auth0 → pending
 * audit event (fail-closed) → one Auth0 call → outcome event → result. Results are plain values
 * the action layer localizes; nothing here holds a secret longer than the call.
 */

export type PasswordDeps = {
  db: PrismaClient;
  api: ManagementApi;
  auth: AuthenticationApi;
  /** Application whose reset email template / reset page settings are used. */
  resetClientId: string;
};

export async function getPasswordDeps(): Promise<PasswordDeps> {
  return {
    db: await getPrisma(),
    api: getManagementApi(),
    auth: getAuthenticationApi(),
    resetClientId: getEnv().auth0.resetClientId,
  };
}

export type PasswordFailure =
  | { code: "not_found" }
  | { code: "no_database_identity"; providers: string[] }
  | { code: "no_email" }
  | { code: "audit_unavailable" }
  | { code: "in_progress" }
  | { code: "key_mismatch" }
  | { code: "policy"; kind: PasswordPolicyErrorKind }
  | { code: "rate_limited"; retryAt: string }
  /**
   * No usable answer. `kind` says why (for the message); `isOutcomeUnknown` means the request
   * left Passdesk and Auth0 may or may not have carried it out (timeout, broken connection,
   * unreadable answer) — the operator must check before trying again.
   */
  | { code: "upstream_unavailable"; kind: Exclude<UpstreamFailureKind, "rate_limited">; isOutcomeUnknown: boolean }
  | { code: "rejected"; auth0Message: string }
  /** Passdesk's Auth0 credentials or scopes are wrong. */
  | { code: "misconfigured" };

export type PasswordResult<T> = { ok: true; data: T } | { ok: false; failure: PasswordFailure };

export type SetPasswordData = {
  userName: string;
  connection: string;
  lastPasswordReset: string | null;
  /** False when Auth0 did it but the outcome event could not be written (shown as unknown, reconciled later). */
  isAuditComplete: boolean;
};

export type ResetEmailData = {
  emailMasked: string;
  connection: string;
  isAuditComplete: boolean;
};

export type TicketData = {
  /** The link, present only in the response to the request that created it; never stored. */
  ticketUrl: string | null;
  ttlSec: number;
  expiresAt: string;
  connection: string;
  isAuditComplete: boolean;
};

type Operation = {
  action: "password.set" | "password.reset_email" | "password.ticket";
  operator: OperatorIdentity;
  meta: RequestMeta;
  userId: string;
  reason: string;
  idempotencyKey: string;
  mustNotContain?: readonly string[];
};

function failure(value: PasswordFailure): { ok: false; failure: PasswordFailure } {
  return { ok: false, failure: value };
}

/** Maps an Auth0 error to a failure value; 400s on a password PATCH become policy errors when named. */
export function failureFromAuth0Error(error: Auth0Error): PasswordFailure {
  if (error instanceof Auth0RateLimitError)
    return { code: "rate_limited", retryAt: error.retryAt.toISOString() };
  if (error instanceof Auth0CredentialsError || error instanceof Auth0ScopeError)
    return { code: "misconfigured" };
  if (error instanceof Auth0NotFoundError) return { code: "not_found" };
  if (error instanceof Auth0InvalidRequestError) {
    const kind = classifyPasswordPolicyError(error);
    return kind ? { code: "policy", kind } : { code: "rejected", auth0Message: error.message };
  }
  const kind = upstreamFailureKind(error);
  return {
    code: "upstream_unavailable",
    kind: kind === "rate_limited" ? "error_status" : kind,
    isOutcomeUnknown: mayHaveReachedAuth0(error),
  };
}

/** Audit details describing an Auth0 failure (status, Auth0's code and message, wait time). */
function failureDetails(error: Auth0Error, durationMs: number): AuditDetailsInput {
  const mapped = failureFromAuth0Error(error);
  return {
    httpStatus: error.status === 0 ? null : error.status,
    // Policy errors name themselves in the message ("PasswordStrengthError: …"), not in errorCode.
    auth0ErrorCode: /^(\w+Error):/.exec(error.message)?.[1] ?? error.errorCode,
    auth0Message: error.status === 0 ? undefined : error.message,
    errorCode:
      mapped.code === "upstream_unavailable"
        ? mapped.kind === "timeout"
          ? "timeout"
          : mapped.kind === "error_status"
            ? "upstream_error"
            : mapped.kind
        : mapped.code,
    retryAfterSec:
      error instanceof Auth0RateLimitError
        ? Math.max(0, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000))
        : undefined,
    durationMs,
  };
}

/**
 * The common skeleton. `prepare` checks the target (no upstream call on refusal); `call` is the
 * single Auth0 request; `finish` turns its answer into the outcome details and the result.
 */
async function runOperation<Answer, Data>(
  deps: PasswordDeps,
  operation: Operation,
  steps: {
    prepare(
      target: Extract<PasswordTarget, { kind: "database" }>,
    ): PasswordFailure | { details: AuditDetailsInput; email: string | null };
    call(target: Extract<PasswordTarget, { kind: "database" }>): Promise<Answer>;
    finish(
      answer: Answer,
      target: Extract<PasswordTarget, { kind: "database" }>,
    ): { details: AuditDetailsInput; data: Data; stored: Data };
    /** For a request that got no answer: decide from Auth0's state whether it happened. */
    recover?(target: Extract<PasswordTarget, { kind: "database" }>, startedAt: Date): Promise<Answer | null>;
  },
): Promise<PasswordResult<Data & { isAuditComplete: boolean }>> {
  const { db } = deps;
  const claim = await claimIdempotencyKey(db, {
    key: operation.idempotencyKey,
    operatorId: operation.operator.id,
    action: operation.action,
  }).catch(async (error: unknown) => {
    (await getRequestLogger()).error(
      { requestId: operation.meta.requestId, err: describe(error) },
      "idempotency key could not be written",
    );
    return null;
  });
  // The database is unusable: the audit log cannot be written either, so nothing goes to Auth0.
  if (claim === null) return failure({ code: "audit_unavailable" });
  if (claim.status === "completed")
    return { ok: true, data: claim.result as Data & { isAuditComplete: boolean } };
  if (claim.status === "in_progress") return failure({ code: "in_progress" });
  if (claim.status === "mismatch") return failure({ code: "key_mismatch" });

  const release = () => releaseIdempotencyKey(db, operation.idempotencyKey);

  let target: PasswordTarget;
  try {
    target = await loadPasswordTarget(operation.userId, deps.api);
  } catch (error) {
    await release();
    if (error instanceof Auth0Error) return failure(failureFromAuth0Error(error));
    throw error;
  }
  if (target.kind === "not_found") {
    await release();
    return failure({ code: "not_found" });
  }
  if (target.kind === "no_database_identity") {
    await release();
    return failure({ code: "no_database_identity", providers: target.providers });
  }
  const prepared = steps.prepare(target);
  if ("code" in prepared) {
    await release();
    return failure(prepared);
  }

  let audited: AuditedOperation;
  try {
    audited = await beginAuditedOperation(db, {
      actor: {
        operatorId: operation.operator.id,
        email: operation.operator.email,
        role: operation.operator.role,
      },
      action: operation.action,
      target: { userId: target.user.userId, email: prepared.email, connection: target.identity.connection },
      reason: operation.reason,
      request: operation.meta,
      details: {
        connection: target.identity.connection,
        idempotencyKey: operation.idempotencyKey,
        ...prepared.details,
      },
      mustNotContain: operation.mustNotContain ?? [],
    });
  } catch (error) {
    // Fail-closed: no pending event, no Auth0 call.
    (await getRequestLogger()).error(
      { requestId: operation.meta.requestId, action: operation.action, err: describe(error) },
      "audit pending event could not be written",
    );
    await release();
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
      await release();
      throw raw;
    }
    const isOutcomeUnknown = mayHaveReachedAuth0(raw);
    const recovered =
      isOutcomeUnknown && steps.recover ? await steps.recover(target, startedAt).catch(() => null) : null;
    if (recovered === null) {
      const details = failureDetails(raw, durationMs);
      if (!isOutcomeUnknown) {
        await recordOutcome(audited, "fail", details, operation);
      } else if (steps.recover) {
        // Not seen at Auth0 yet is no proof it failed: the request may still be running there.
        // The pending event stays open (shown as "outcome unknown") for reconciliation, which
        // settles it from last_password_reset once no request can still be in flight.
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
      { requestId: operation.meta.requestId, err: describe(error) },
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
        err: describe(error),
      },
      "audit outcome event could not be written; the pending event stays unresolved",
    );
    return false;
  }
}

/** Error name and message only: never the error object, whose cause chain could hold a request. */
function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message.slice(0, 300) }
    : { name: "unknown", message: "" };
}

export async function setPassword(
  deps: PasswordDeps,
  input: SetPasswordInput,
  context: { operator: OperatorIdentity; meta: RequestMeta },
): Promise<PasswordResult<SetPasswordData>> {
  return runOperation<{ lastPasswordReset: string | null }, Omit<SetPasswordData, "isAuditComplete">>(
    deps,
    {
      action: "password.set",
      ...context,
      userId: input.userId,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
      mustNotContain: [input.password],
    },
    {
      prepare: (target) => ({ details: { generated: input.generated }, email: target.user.email }),
      call: (target) =>
        setUserPassword(target.user.userId, input.password, target.identity.connection, deps.api),
      async recover(target, startedAt) {
        // No answer (timeout, connection reset): the PATCH may have been applied. Auth0 sets
        // last_password_reset when it is, so a value after we started proves success.
        const fresh = await loadPasswordTarget(target.user.userId, deps.api);
        const seen = fresh.kind === "database" ? fresh.user.lastPasswordReset : null;
        return seen && Date.parse(seen) >= startedAt.getTime() - 1000 ? { lastPasswordReset: seen } : null;
      },
      finish(answer, target) {
        const data = {
          userName: target.user.name,
          connection: target.identity.connection,
          lastPasswordReset: answer.lastPasswordReset,
        };
        return { details: { httpStatus: 200 }, data, stored: data };
      },
    },
  );
}

export async function sendResetEmail(
  deps: PasswordDeps,
  input: SendResetEmailInput,
  context: { operator: OperatorIdentity; meta: RequestMeta },
): Promise<PasswordResult<ResetEmailData>> {
  return runOperation<null, Omit<ResetEmailData, "isAuditComplete">>(
    deps,
    {
      action: "password.reset_email",
      ...context,
      userId: input.userId,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
    },
    {
      prepare(target) {
        if (!target.user.email) return { code: "no_email" };
        return { details: { emailMasked: maskEmail(target.user.email) }, email: target.user.email };
      },
      async call(target) {
        // The email comes from the user we just read at Auth0 — it exists in this connection (also
        // for custom databases, where Auth0 would otherwise answer 200 for an unknown address).
        await deps.auth.sendPasswordResetEmail({
          email: target.user.email as string,
          connection: target.identity.connection,
          clientId: deps.resetClientId,
        });
        return null;
      },
      finish(_answer, target) {
        const data = {
          emailMasked: maskEmail(target.user.email as string),
          connection: target.identity.connection,
        };
        return { details: { httpStatus: 200, emailMasked: data.emailMasked }, data, stored: data };
      },
    },
  );
}

export async function createResetTicket(
  deps: PasswordDeps,
  input: CreateTicketInput,
  context: { operator: OperatorIdentity; meta: RequestMeta },
): Promise<PasswordResult<TicketData>> {
  return runOperation<{ ticketUrl: string; expiresAt: string }, Omit<TicketData, "isAuditComplete">>(
    deps,
    {
      action: "password.ticket",
      ...context,
      userId: input.userId,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
    },
    {
      prepare: (target) => ({
        details: { ttlSec: input.ttlSec, markEmailAsVerified: input.markEmailAsVerified },
        email: target.user.email,
      }),
      async call(target) {
        const primary = target.user.identities[0];
        const isPrimaryDatabase = primary?.connection === target.identity.connection;
        const startedAt = Date.now();
        const { ticketUrl } = await createPasswordChangeTicket(
          {
            userId: target.user.userId,
            ttlSec: input.ttlSec,
            markEmailAsVerified: input.markEmailAsVerified,
            resultUrl: input.resultUrl,
            clientId: deps.resetClientId,
            byEmail:
              !isPrimaryDatabase && target.user.email && target.identity.connectionId
                ? { email: target.user.email, connectionId: target.identity.connectionId }
                : undefined,
          },
          deps.api,
        );
        return { ticketUrl, expiresAt: new Date(startedAt + input.ttlSec * 1000).toISOString() };
      },
      finish(answer, target) {
        const base = {
          ttlSec: input.ttlSec,
          expiresAt: answer.expiresAt,
          connection: target.identity.connection,
        };
        return {
          details: { httpStatus: 201, ttlSec: input.ttlSec, expiresAt: answer.expiresAt },
          data: { ...base, ticketUrl: answer.ticketUrl },
          // A repeated submission learns that the link exists, never the link itself.
          stored: { ...base, ticketUrl: null },
        };
      },
    },
  );
}
