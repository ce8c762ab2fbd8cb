/** Client-safe: the words for a panel's load failure (server panels and the timeline's client part). */

export type PanelErrorLike = {
  code: string;
  scopes?: readonly string[];
  retryAt?: string | null;
};

type Translate = (key: string, values?: Record<string, string | number>) => string;
type FormatTime = (iso: string) => string;

/** `t` is the `supportCase` translator; the result is a clause ("Auth0 is rate limiting…"). */
export function describePanelError(t: Translate, formatTime: FormatTime, error: PanelErrorLike): string {
  switch (error.code) {
    case "missing_scope":
      return t("errors.missing_scope", { scopes: (error.scopes ?? []).join(t("errors.or")) || "—" });
    case "rate_limited":
      return t("errors.rate_limited", { time: error.retryAt ? formatTime(error.retryAt) : "—" });
    case "timeout":
    case "upstream_timeout":
      return t("errors.timeout");
    case "not_found":
      return t("errors.not_found");
    default:
      return t("errors.unavailable");
  }
}
