import "server-only";
import { getFormatter, getTranslations } from "next-intl/server";
import type { PasswordFailure } from "@/lib/danger-zone/failures";
import { actionFailure, type ActionFailure } from "./safe-action";

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

/**
 * Turns a Danger Zone or account service failure into a localized action failure (policy errors
 * land on the password field; a missing scope is named).
 */
export async function toActionFailure(failure: PasswordFailure): Promise<ActionFailure> {
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
    case "missing_scope": {
      const message = (await getTranslations("account.errors"))("missingScope", { scopes: failure.scopes.join(", ") });
      return { ...actionFailure("upstream", message), missingScopes: [...failure.scopes] };
    }
    case "no_change":
      return actionFailure("conflict", (await getTranslations("account.errors"))(`noChange.${failure.state}`));
    case "not_permitted":
      return actionFailure("forbidden", (await getTranslations("errors"))("forbidden"));
    case "method_not_found":
      return actionFailure("not_found", (await getTranslations("account.errors"))("methodNotFound"));
    case "approval_required":
      return actionFailure("approval_required", t(failure.isPending ? "approvalPending" : "approvalRequired"));
  }
}
