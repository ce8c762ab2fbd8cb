import type { FourEyesFailure } from "@/lib/four-eyes/failure";
import { actionFailure, type ActionFailure } from "./safe-action";

/** The message keys every four-eyes namespace has (approvals.errors, bulk.errors). */
type FourEyesMessage = "notFound" | "ownRequest" | "expired" | "wrongState" | "auditUnavailable";

/** A shared four-eyes refusal as an action answer, in the request kind's own words (`t`). */
export function fourEyesActionFailure(
  failure: FourEyesFailure<unknown>,
  t: (key: FourEyesMessage) => string,
): ActionFailure {
  switch (failure.code) {
    case "not_found":
      return actionFailure("not_found", t("notFound"));
    case "own_request":
      return actionFailure("forbidden", t("ownRequest"));
    case "expired":
      return actionFailure("conflict", t("expired"));
    case "wrong_state":
      return actionFailure("conflict", t("wrongState"));
    case "audit_unavailable":
      return actionFailure("internal", t("auditUnavailable"));
  }
}
