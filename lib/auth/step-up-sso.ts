/**
 * Step-up through the IdP in a popup (issue 15 item 4), shared by server and browser: the popup
 * opens STEP_UP_SSO_START_PATH, which starts next-auth's OIDC sign-in with prompt=login and
 * max_age=0; the IdP comes back to STEP_UP_SSO_DONE_PATH, which tells the opener the result.
 */
/** next-auth's id of the OIDC provider (lib/auth/oidc.ts OIDC_PROVIDER_ID). */
export const STEP_UP_SSO_PROVIDER_ID = "oidc";
export const STEP_UP_SSO_START_PATH = "/step-up-sso";
export const STEP_UP_SSO_DONE_PATH = "/step-up-sso/done";
/** The <meta> of the root layout that names the IdP when OIDC is configured (no secrets: its display name only). */
export const OIDC_NAME_META = "passdesk-oidc-name";
/** The message the done page posts to its opener (same origin only). */
export const STEP_UP_SSO_MESSAGE = "passdesk:step-up-sso";

export const STEP_UP_SSO_RESULTS = ["ok", "no_auth_time", "auth_time_stale", "email_unverified", "other_identity", "session_ended"] as const;
export type StepUpSsoResult = (typeof STEP_UP_SSO_RESULTS)[number];

export function parseStepUpSsoResult(value: unknown): StepUpSsoResult | null {
  return typeof value === "string" && (STEP_UP_SSO_RESULTS as readonly string[]).includes(value) ? (value as StepUpSsoResult) : null;
}
