"use server";

import { getFormatter, getTranslations } from "next-intl/server";
import { createResetTicket } from "@/lib/danger-zone/create-reset-ticket";
import { getDangerZoneDeps } from "@/lib/danger-zone/deps";
import type { PasswordFailure } from "@/lib/danger-zone/failures";
import { sendResetEmail } from "@/lib/danger-zone/send-reset-email";
import { setPassword } from "@/lib/danger-zone/set-password";
import { createTicketSchema, sendResetEmailSchema, setPasswordSchema } from "@/lib/validations/danger-zone";
import { action, actionFailure, defineActions, type ActionFailure } from "./safe-action";

/**
 * One message per way Auth0 can fail us. The "may or may not have been carried out" ones
 * (timeout, connectionLost, malformedResponse) match the audit outcome "unknown".
 */
const UPSTREAM_MESSAGE_KEYS = {
  error_status: "upstreamError",
  timeout: "noResponse",
  malformed_response: "malformedResponse",
  connection_lost: "connectionLost",
  tls: "untrustedCertificate",
  unreachable: "upstreamUnavailable",
} as const satisfies Record<Extract<PasswordFailure, { code: "upstream_unavailable" }>["kind"], string>;

/** Turns a service failure into a localized action failure (policy errors land on the password field). */
async function toActionFailure(failure: PasswordFailure): Promise<ActionFailure> {
  const t = await getTranslations("dangerZone.errors");
  switch (failure.code) {
    case "not_found":
      return actionFailure("not_found", t("notFound"));
    case "no_database_identity":
      return actionFailure("forbidden", t("noDatabaseIdentity", { providers: failure.providers.join(", ") }));
    case "no_email":
      return actionFailure("invalid", t("noEmail"));
    case "audit_unavailable":
      return actionFailure("internal", t("auditUnavailable"));
    case "in_progress":
      return actionFailure("conflict", t("inProgress"));
    case "key_mismatch":
      return actionFailure("conflict", t("keyMismatch"));
    case "result_url_not_allowed": {
      const message =
        failure.allowedHosts.length > 0
          ? t("resultUrlNotAllowed", { hosts: failure.allowedHosts.join(", ") })
          : t("resultUrlNoneAllowed");
      return actionFailure("invalid", message, { resultUrl: [message] });
    }
    case "policy": {
      const message = t(`policy.${failure.kind}`);
      return actionFailure("invalid", message, { password: [message] });
    }
    case "rate_limited": {
      const format = await getFormatter();
      const retryAt = new Date(failure.retryAt);
      const seconds = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000));
      return actionFailure(
        "rate_limited",
        t("rateLimited", { time: format.dateTime(retryAt, { timeStyle: "medium" }), seconds }),
      );
    }
    case "upstream_unavailable":
      return actionFailure("upstream", t(UPSTREAM_MESSAGE_KEYS[failure.kind]));
    case "rejected":
      return actionFailure("upstream", t("rejected", { message: failure.auth0Message }));
    case "misconfigured":
      return actionFailure("upstream", t("misconfigured"));
  }
}


/** Sets a database user's password (PATCH /users/{id}). The password never leaves this request. */
export const { setPasswordAction } = defineActions({ setPasswordAction: action(
  "password:set",
  setPasswordSchema,
  async (input, { operator, meta }) => {
    const result = await setPassword(await getDangerZoneDeps(), input, { operator, meta });
    if (!result.ok) return toActionFailure(result.failure);
    return { ok: true, data: result.data };
  },
) });

/** Sends Auth0's reset email to the user's address in their database connection. */
export const { sendResetEmailAction } = defineActions({ sendResetEmailAction: action(
  "password:reset-email",
  sendResetEmailSchema,
  async (input, { operator, meta }) => {
    const result = await sendResetEmail(await getDangerZoneDeps(), input, { operator, meta });
    if (!result.ok) return toActionFailure(result.failure);
    return { ok: true, data: result.data };
  },
) });

/** Creates a single-use reset link; it is returned once and never stored or logged. */
export const { createResetTicketAction } = defineActions({ createResetTicketAction: action(
  "password:ticket",
  createTicketSchema,
  async (input, { operator, meta }) => {
    const result = await createResetTicket(await getDangerZoneDeps(), input, { operator, meta });
    if (!result.ok) return toActionFailure(result.failure);
    return { ok: true, data: result.data };
  },
) });
