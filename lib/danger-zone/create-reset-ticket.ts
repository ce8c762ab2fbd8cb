import "server-only";
import { gatedTerms } from "@/lib/approvals/terms";
import { createPasswordChangeTicket } from "@/lib/auth0/password-operations";
import { findSecretLike } from "@/lib/audit/details";
import type { CreateTicketInput } from "@/lib/validations/danger-zone";
import type { DangerZoneDeps } from "./deps";
import type { PasswordResult } from "./failures";
import { runOperation, type OperationContext, type OperationOptions } from "./operation";

export type TicketData = {
  /** The link, present only in the response to the request that created it; never stored. */
  ticketUrl: string | null;
  ttlSec: number;
  expiresAt: string;
  connection: string;
  isAuditComplete: boolean;
};

/**
 * Whether the reset page may send the user to `resultUrl` afterwards: its host must be on the
 * configured list (exact, case-insensitive), and it must not carry anything secret-looking —
 * it is recorded in the audit log.
 */
export function isAllowedResultUrl(resultUrl: string, allowedHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(resultUrl);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "") return false;
  const host = url.hostname.toLowerCase();
  if (!allowedHosts.some((allowed) => allowed.toLowerCase() === host)) return false;
  return findSecretLike(resultUrl) === undefined;
}

/** Creates a single-use reset link; it is returned once and never stored or logged. */
export async function createResetTicket(
  deps: DangerZoneDeps,
  input: CreateTicketInput,
  context: OperationContext,
  options: OperationOptions = {},
): Promise<PasswordResult<TicketData>> {
  return runOperation<{ ticketUrl: string; expiresAt: string }, Omit<TicketData, "isAuditComplete">>(
    deps,
    {
      action: "password.ticket",
      ...context,
      userId: input.userId,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
      ...options,
      approvalTerms: gatedTerms(options, {
        operation: "password.ticket",
        ttlSec: input.ttlSec,
        markEmailAsVerified: input.markEmailAsVerified,
        resultUrl: input.resultUrl ?? null,
      }),
      input: {
        userId: input.userId,
        reason: input.reason,
        ttlSec: input.ttlSec,
        markEmailAsVerified: input.markEmailAsVerified,
        resultUrl: input.resultUrl ?? null,
      },
    },
    {
      prepare(target) {
        if (input.resultUrl !== undefined && !isAllowedResultUrl(input.resultUrl, deps.resultUrlHosts))
          return { code: "result_url_not_allowed", allowedHosts: deps.resultUrlHosts };
        return {
          details: {
            ttlSec: input.ttlSec,
            markEmailAsVerified: input.markEmailAsVerified,
            // Where the reset page redirects afterwards: not a secret, and an operator could
            // otherwise point a user at a phishing page unseen. The link itself is never recorded.
            resultUrl: input.resultUrl,
          },
          email: target.user.email,
        };
      },
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
