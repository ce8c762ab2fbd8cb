/**
 * Fixed, documented credentials of the local tenant. They are public on purpose: the demo
 * (`AUTH0_DOMAIN` unset) and the tests must work on a fresh clone without configuration.
 * Never reuse these values against a real Auth0 tenant.
 */

export const DEMO_M2M_CLIENT_ID = "passdesk-demo-m2m";
export const DEMO_M2M_CLIENT_SECRET = "passdesk-demo-m2m-secret";
export const DEMO_M2M_SCOPES = [
  "read:users",
  "update:users",
  "create:users",
  "delete:users",
  "create:user_tickets",
  "read:connections",
  "read:logs",
  "read:logs_users",
  "read:sessions",
  "delete:sessions",
  "read:refresh_tokens",
  "delete:refresh_tokens",
  "read:authentication_methods",
  "delete:authentication_methods",
  "read:organizations",
  "create:organizations",
  "read:organization_members",
  "create:organization_members",
] as const;

/** The application whose reset-email template is used (`AUTH0_RESET_CLIENT_ID`). */
export const DEMO_RESET_CLIENT_ID = "passdesk-demo-reset-app";
export const DEMO_RESET_CLIENT_NAME = "Passdesk Demo";

/** A second M2M client with only read:users, to exercise 403 insufficient_scope. */
export const DEMO_READONLY_CLIENT_ID = "passdesk-demo-readonly";
export const DEMO_READONLY_CLIENT_SECRET = "passdesk-demo-readonly-secret";
export const DEMO_READONLY_SCOPES = ["read:users"] as const;

/** Bearer token of the control API (`/__control/*`); overridable with TENANT_CONTROL_TOKEN. */
export const DEMO_CONTROL_TOKEN = "passdesk-demo-control";

/**
 * Every seeded database user has this password (hashed once at start-up, so seeding 100,000
 * users stays fast). Tests and demos can sign in as any seeded database user with it.
 */
export const SEED_PASSWORD = "Passdesk-Seed-1!";

/**
 * Passdesk's own sign-in through the tenant as its identity provider (OIDC, authorization code
 * with PKCE): a confidential "Regular Web Application" whose callback is any loopback port's
 * `/api/auth/callback/oidc`, offering the staff directory on the hosted login page.
 */
export const DEMO_OIDC_CLIENT_ID = "passdesk-demo-oidc";
export const DEMO_OIDC_CLIENT_SECRET = "passdesk-demo-oidc-secret";
export const DEMO_OIDC_CALLBACKS = [
  "http://localhost:*/api/auth/callback/oidc",
  "http://127.0.0.1:*/api/auth/callback/oidc",
] as const;
/** A public client (SPA: no secret, PKCE S256 required) for the contract tests. */
export const DEMO_SPA_CLIENT_ID = "passdesk-demo-spa";
export const DEMO_SPA_CALLBACK = "http://127.0.0.1:5999/callback";
