import { randomBytes } from "node:crypto";
import { z } from "zod";
import { loadOrCreateDemoSessionSecret } from "./env-demo-secret";
import { compileTrustProxy } from "@/lib/http/forwarding";
import { parseRoleMap, type RoleMap } from "@/lib/auth/oidc-role-map";
import { parseScopeMap, type ScopeMap } from "@/lib/auth/oidc-scope-map";
import { advancedQueryProblem } from "@/lib/auth0/lucene";

/**
 * The one place that reads `process.env`. Everything is validated at start-up so a
 * misconfigured deployment refuses to run and names the variable, instead of failing
 * later in the middle of a password change.
 *
 * Importable from server code and from scripts (no "server-only" marker here on purpose:
 * the CLI scripts and the migration runner need it too). App code imports it through
 * lib/server-env.ts, which carries the `server-only` guard; getEnv() also refuses to run in a
 * browser.
 */

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

function isTrustProxySetting(value: string): boolean {
  try {
    compileTrustProxy(value);
    return true;
  } catch {
    return false;
  }
}

const port = z.coerce.number().int().min(1).max(65535);

const hostList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().regex(/^[a-z0-9.-]+$/, "must be host names separated by commas (no https://, port or path)"),
    ),
  );

/** Demo credentials of the local tenant (tenant/src/demo-credentials.ts); not secrets. */
export const LOCAL_TENANT_DEFAULTS = {
  clientId: "passdesk-demo-m2m",
  clientSecret: "passdesk-demo-m2m-secret",
  resetClientId: "passdesk-demo-reset-app",
  /** The local tenant as the demo identity provider (tenant/src/demo-credentials.ts, seed.ts STAFF_DIRECTORY). */
  oidcClientId: "passdesk-demo-oidc",
  oidcClientSecret: "passdesk-demo-oidc-secret",
  oidcName: "Passdesk Staff (demo IdP)",
  oidcRoleClaim: "https://passdesk.dev/roles",
  oidcRoleMap: "admin=passdesk-admins,support=helpdesk,auditor=auditors",
  /** Password of the staff directory's users (the tenant's SEED_PASSWORD); shown on the demo sign-in page. */
  oidcDemoPassword: "Passdesk-Seed-1!",
} as const;

/** The demo's protected users (scripts/demo.ts): the local tenant's users with app_metadata.roles admin. */
export const DEMO_PROTECTED_USERS_QUERY = 'app_metadata.roles:"admin"';

/** The parser's message when `value` does not parse, else null. */
function parseProblem(parse: (value: string) => unknown, value: string): string | null {
  try {
    parse(value);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** An issuer URL: https, or http only on the loopback interface (an IdP on a developer machine). */
const issuerUrl = z
  .string()
  .refine(
    (value) =>
      value === "off" ||
      /^https:\/\/[^\s/]+/i.test(value) ||
      /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/i.test(value),
    "must be the IdP's https:// issuer URL (or off)",
  );

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: port.default(3000),
    TENANT_PORT: port.default(4443),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL (leave unset for the embedded database)")
      .optional(),
    AUTH0_DOMAIN: z
      .string()
      .regex(
        /^[a-z0-9.-]+(:\d+)?$/i,
        "must be a bare host such as your-tenant.eu.auth0.com (no https://, no path)",
      )
      .optional(),
    AUTH0_CLIENT_ID: z.string().min(1).optional(),
    AUTH0_CLIENT_SECRET: z.string().min(1).optional(),
    AUTH0_RESET_CLIENT_ID: z.string().min(1).optional(),
    /** PEM file of a CA to trust for the Auth0 domain (the local tenant's CA in demo mode). */
    AUTH0_CA_FILE: z.string().min(1).optional(),
    AUTH0_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    NEXTAUTH_URL: z.url().optional(),
    /** Absolute session lifetime from sign-in, never extended (default 8 h). */
    SESSION_ABSOLUTE_TIMEOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(8 * 60),
    /** A session with no request for this long ends (default 30 min). */
    SESSION_IDLE_TIMEOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(2)
      .max(24 * 60)
      .default(30),
    /** Address the HTTP server listens on; demo mode defaults to 127.0.0.1, otherwise all interfaces. */
    HOST: z.string().min(1).optional(),
    SUPPORT_CAN_SET_PASSWORD: booleanString.default(true),
    DEMO_OPERATOR_PASSWORD: z.string().min(8).default("passdesk-demo"),
    /**
     * Which proxies may name the client in X-Forwarded-For: `false` (default), `true` (all: the
     * left-most entry), or a proxy-addr list such as `loopback,10.0.0.0/8` (lib/http/forwarding).
     */
    TRUST_PROXY: z
      .string()
      .default("false")
      .refine(isTrustProxySetting, "must be true, false or a list such as loopback,10.0.0.0/8"),
    /** Per-operator budget for Passdesk's own routes and actions (lib/http/operator-rate-limit). */
    OPERATOR_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000).default(20),
    OPERATOR_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    /** Set by scripts/server.ts for its own process (proves its request stamps); never configure it. */
    PASSDESK_SERVER_STAMP: z.string().min(32).optional(),
    /** Hosts a reset link may send the user to afterwards (comma-separated); unset = no redirect allowed. */
    RESET_RESULT_URL_HOSTS: hostList.default([]),
    /** Seconds between runs of the background audit reconciliation and pruning job; 0 = off. */
    AUDIT_RECONCILE_INTERVAL_SEC: z.coerce.number().int().min(0).max(86_400).default(60),
    /**
     * Roles whose operators must enrol in MFA before reaching any page (comma-separated:
     * admin, support, auditor; `none` for nobody). Default `admin`.
     */
    MFA_REQUIRED_ROLES: z
      .string()
      .default("admin")
      .transform((value) =>
        value
          .split(",")
          .map((role) => role.trim().toUpperCase())
          .filter((role) => role !== "" && role !== "NONE"),
      )
      .pipe(
        z.array(
          z.enum(["ADMIN", "SUPPORT", "AUDITOR"], { message: "must list admin, support, auditor or none" }),
        ),
      ),
    /** Danger Zone actions, operator management and audit export need an authentication this recent (minutes). */
    STEP_UP_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(10),
    /**
     * Test hook, demo mode only: operators whose email ends with this are never freshly
     * authenticated (the e2e authorization matrix proves every step-up action is refused).
     */
    STEP_UP_STALE_EMAIL_SUFFIX: z.string().min(3).optional(),
    /** Bulk jobs: ceiling of item calls per second per app instance (Auth0's headers decide below it). */
    BULK_MAX_RPS: z.coerce.number().min(0.1).max(1_000).default(10),
    /** Bulk jobs and protected-user requests: how long a request waits for another admin's decision, and an approval for its use, in seconds (default 24 h). */
    APPROVAL_TTL: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    /**
     * Protected users (issue 17): a password action on a user matching this Lucene query (e.g.
     * `app_metadata.roles:"admin"`) needs another admin's approval first. Unset = none by query.
     */
    PROTECTED_USERS_QUERY: z
      .string()
      .trim()
      .superRefine((value, context) => {
        const problem = advancedQueryProblem(value);
        if (problem === "too_long")
          context.addIssue({
            code: "custom",
            message: "is too long for an Auth0 search (1,000 characters at most)",
          });
        if (problem === "unbalanced")
          context.addIssue({ code: "custom", message: "has unbalanced parentheses or quotes" });
      })
      .optional(),
    /** Protected users: every user with an identity in one of these connections (comma-separated names). */
    PROTECTED_CONNECTIONS: z
      .string()
      .transform((value) =>
        value
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[\w.-]+$/, "must be connection names separated by commas")))
      .default([]),
    /** Bulk jobs: how long a runner holds an item before another instance may take it, in seconds. */
    BULK_LEASE_SEC: z.coerce.number().int().min(5).max(3_600).default(60),
    /** Bulk jobs on PostgreSQL (pg-boss): queue jobs per bulk job, i.e. instances that may share one job. */
    BULK_QUEUE_LANES: z.coerce.number().int().min(1).max(32).default(2),
    /**
     * Bulk jobs: how long Auth0 may take to show an event in its logs, in seconds. A reset email
     * cut off mid-call (the app died) is resent only if its log event is still missing this long
     * after the lease ran out; found, it counts as sent.
     */
    BULK_LOG_LAG_SEC: z.coerce.number().int().min(0).max(3_600).default(60),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /**
     * OpenID Connect single sign-on (lib/auth/oidc.ts): the IdP's issuer URL (discovery at
     * `<issuer>/.well-known/openid-configuration`); `off` = none. Demo mode: the local tenant.
     */
    OIDC_ISSUER: issuerUrl.optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** Label of the button: "Sign in with <OIDC_NAME>". */
    OIDC_NAME: z.string().min(1).max(60).optional(),
    /** ID-token claim with the user's groups or roles (e.g. `groups`, `https://example.com/roles`). */
    OIDC_ROLE_CLAIM: z.string().min(1).optional(),
    /** `admin=passdesk-admins,support=helpdesk`: with it, operators are created and their role follows the claim. */
    OIDC_ROLE_MAP: z
      .string()
      .superRefine((value, context) => {
        const problem = parseProblem(parseRoleMap, value);
        if (problem)
          context.addIssue({
            code: "custom",
            message: `must be role=group pairs separated by commas: ${problem}`,
          });
      })
      .optional(),
    /** ID-token claim the scope map reads; defaults to OIDC_ROLE_CLAIM. */
    OIDC_SCOPE_CLAIM: z.string().min(1).optional(),
    /** JSON `{"group": {connections, organizations, filter} | null, "*": …}`: with it, the operator's scope follows the claim (lib/auth/oidc-scope-map.ts). */
    OIDC_SCOPE_MAP: z
      .string()
      .superRefine((value, context) => {
        const problem = parseProblem(parseScopeMap, value);
        if (problem)
          context.addIssue({
            code: "custom",
            message: `must be a JSON object from group to scope ({"connections": [], "organizations": [], "filter": "…"}) or null for the whole tenant: ${problem}`,
          });
      })
      .optional(),
    /** PEM file of an extra CA to trust for the IdP (demo: the local tenant's CA). */
    OIDC_CA_FILE: z.string().min(1).optional(),
    /** false = no password form: operators sign in only through OIDC. */
    LOCAL_SIGN_IN: booleanString.default(true),
  })
  .superRefine((value, context) => {
    if (value.AUTH0_DOMAIN) {
      for (const key of ["AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"] as const) {
        if (!value[key]) {
          context.addIssue({ code: "custom", path: [key], message: "is required when AUTH0_DOMAIN is set" });
        }
      }
    }
    const explicitOidc = value.OIDC_ISSUER !== undefined && value.OIDC_ISSUER !== "off";
    if (explicitOidc) {
      for (const key of ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const) {
        if (!value[key])
          context.addIssue({ code: "custom", path: [key], message: "is required when OIDC_ISSUER is set" });
      }
    }
    if (value.OIDC_ROLE_MAP && !value.OIDC_ROLE_CLAIM && explicitOidc) {
      context.addIssue({
        code: "custom",
        path: ["OIDC_ROLE_CLAIM"],
        message: "is required when OIDC_ROLE_MAP is set",
      });
    }
    if (value.OIDC_SCOPE_MAP && !value.OIDC_SCOPE_CLAIM && !value.OIDC_ROLE_CLAIM && explicitOidc) {
      context.addIssue({
        code: "custom",
        path: ["OIDC_SCOPE_CLAIM"],
        message: "(or OIDC_ROLE_CLAIM) is required when OIDC_SCOPE_MAP is set",
      });
    }
    const oidcOn = explicitOidc || (value.OIDC_ISSUER === undefined && !value.AUTH0_DOMAIN);
    if (!value.LOCAL_SIGN_IN && !oidcOn) {
      context.addIssue({
        code: "custom",
        path: ["LOCAL_SIGN_IN"],
        message: "can be false only with OIDC_ISSUER set (nobody could sign in)",
      });
    }
    if (value.AUTH0_DOMAIN && value.STEP_UP_STALE_EMAIL_SUFFIX) {
      context.addIssue({
        code: "custom",
        path: ["STEP_UP_STALE_EMAIL_SUFFIX"],
        message: "is a test hook for demo mode only",
      });
    }
    if (value.NODE_ENV === "production" && value.AUTH0_DOMAIN && !value.NEXTAUTH_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["NEXTAUTH_SECRET"],
        message: "is required in production with a real Auth0 tenant",
      });
    }
  });

export type Env = z.infer<typeof schema> & {
  /** True when no Auth0 tenant is configured and the bundled local tenant is used. */
  isDemo: boolean;
  auth0: {
    domain: string;
    clientId: string;
    clientSecret: string;
    resetClientId: string;
    caFile: string | undefined;
  };
  sessionSecret: string;
  /** OIDC single sign-on, or null when off. */
  oidc: OidcSettings | null;
};

export type OidcSettings = {
  /** Issuer URL as configured (discovery document at `${wellKnown}`). */
  issuer: string;
  wellKnown: string;
  clientId: string;
  clientSecret: string;
  name: string;
  /** Role mapping: null = match existing operators only, never create one or change a role. */
  roleMapping: { claim: string; map: RoleMap } | null;
  /** Scope mapping: null = SSO never changes a scope (a newcomer starts with the whole tenant). */
  scopeMapping: { claim: string; map: ScopeMap } | null;
  caFile: string | undefined;
};

function wellKnownOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

function oidcSettings(
  value: z.infer<typeof schema>,
  isDemo: boolean,
  demoCaFile: string | undefined,
): OidcSettings | null {
  if (value.OIDC_ISSUER === "off") return null;
  if (value.OIDC_ISSUER === undefined) {
    if (!isDemo) return null;
    // Demo mode: the local tenant is the identity provider, with its staff directory.
    const issuer = `https://localhost:${value.TENANT_PORT}/`;
    const roleMap = value.OIDC_ROLE_MAP ?? LOCAL_TENANT_DEFAULTS.oidcRoleMap;
    return {
      issuer,
      wellKnown: wellKnownOf(issuer),
      clientId: value.OIDC_CLIENT_ID ?? LOCAL_TENANT_DEFAULTS.oidcClientId,
      clientSecret: value.OIDC_CLIENT_SECRET ?? LOCAL_TENANT_DEFAULTS.oidcClientSecret,
      name: value.OIDC_NAME ?? LOCAL_TENANT_DEFAULTS.oidcName,
      roleMapping: {
        claim: value.OIDC_ROLE_CLAIM ?? LOCAL_TENANT_DEFAULTS.oidcRoleClaim,
        map: parseRoleMap(roleMap),
      },
      scopeMapping: value.OIDC_SCOPE_MAP
        ? {
            claim: value.OIDC_SCOPE_CLAIM ?? value.OIDC_ROLE_CLAIM ?? LOCAL_TENANT_DEFAULTS.oidcRoleClaim,
            map: parseScopeMap(value.OIDC_SCOPE_MAP),
          }
        : null,
      caFile: value.OIDC_CA_FILE ?? demoCaFile,
    };
  }
  return {
    issuer: value.OIDC_ISSUER,
    wellKnown: wellKnownOf(value.OIDC_ISSUER),
    clientId: value.OIDC_CLIENT_ID as string,
    clientSecret: value.OIDC_CLIENT_SECRET as string,
    name: value.OIDC_NAME ?? "SSO",
    roleMapping:
      value.OIDC_ROLE_MAP && value.OIDC_ROLE_CLAIM
        ? { claim: value.OIDC_ROLE_CLAIM, map: parseRoleMap(value.OIDC_ROLE_MAP) }
        : null,
    scopeMapping: value.OIDC_SCOPE_MAP
      ? {
          claim: (value.OIDC_SCOPE_CLAIM ?? value.OIDC_ROLE_CLAIM) as string,
          map: parseScopeMap(value.OIDC_SCOPE_MAP),
        }
      : null,
    caFile: value.OIDC_CA_FILE,
  };
}

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "EnvError";
  }
}

type ParseOptions = {
  /** Where demo mode gets its session secret when NEXTAUTH_SECRET is unset (getEnv: a file in DATA_DIR). */
  demoSessionSecret?: (dataDir: string) => string;
};

/** Parses an environment (pure unless `options` say otherwise; exported for tests). Empty strings count as unset. */
export function parseEnv(source: Record<string, string | undefined>, options: ParseOptions = {}): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`),
    );
  }
  const value = result.data;
  const isDemo = !value.AUTH0_DOMAIN;
  const dataDir = value.DATA_DIR;
  const demoCaFile = value.AUTH0_CA_FILE ?? `${dataDir.replace(/\/$/, "")}/tenant/ca.pem`;
  return {
    oidc: oidcSettings(value, isDemo, demoCaFile),
    ...value,
    isDemo,
    auth0: isDemo
      ? {
          domain: `localhost:${value.TENANT_PORT}`,
          clientId: value.AUTH0_CLIENT_ID ?? LOCAL_TENANT_DEFAULTS.clientId,
          clientSecret: value.AUTH0_CLIENT_SECRET ?? LOCAL_TENANT_DEFAULTS.clientSecret,
          resetClientId: value.AUTH0_RESET_CLIENT_ID ?? LOCAL_TENANT_DEFAULTS.resetClientId,
          caFile: value.AUTH0_CA_FILE ?? `${dataDir.replace(/\/$/, "")}/tenant/ca.pem`,
        }
      : {
          domain: value.AUTH0_DOMAIN as string,
          clientId: value.AUTH0_CLIENT_ID as string,
          clientSecret: value.AUTH0_CLIENT_SECRET as string,
          resetClientId: value.AUTH0_RESET_CLIENT_ID ?? (value.AUTH0_CLIENT_ID as string),
          caFile: value.AUTH0_CA_FILE,
        },
    // Never a fixed value: without NEXTAUTH_SECRET, demo mode keeps a random secret in DATA_DIR
    // (so sessions survive a restart) and anything else gets one per process. Production with a
    // real tenant requires NEXTAUTH_SECRET (checked above).
    sessionSecret:
      value.NEXTAUTH_SECRET ??
      (isDemo && options.demoSessionSecret
        ? options.demoSessionSecret(dataDir)
        : randomBytes(32).toString("base64url")),
  };
}

let cached: Env | undefined;

/** The validated environment of this process, parsed once. */
export function getEnv(): Env {
  // The same guard as t3's createEnv: the configuration (and its secrets) never reaches a browser.
  if (typeof window !== "undefined")
    throw new Error("lib/env is server-side only; do not import it from client components");
  cached ??= parseEnv(process.env, { demoSessionSecret: loadOrCreateDemoSessionSecret });
  return cached;
}
