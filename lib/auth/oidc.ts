import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import { getPrisma } from "@/lib/db";
import type { OidcSettings } from "@/lib/env";
import { maskEmail } from "@/lib/danger-zone/mask-email";
import { logger } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import { applyOperatorScope, scopeDetail } from "@/lib/operators/service";
import { createOperator, findOperatorById, OperatorExistsError, setOperatorRole } from "./operator-admin";
import { createOperatorSession, markSessionAuthenticated, revokeOperatorSessions } from "./operator-sessions";
import { identitySelect, normalizeEmail, sessionSettings, toOperatorIdentity, type OperatorIdentity } from "./operator-service";
import type { OperatorIdentityRow } from "./operator-identity";
import { mapRole } from "./oidc-role-map";
import { mapScope } from "./oidc-scope-map";
import type { Role } from "./permissions";
import type { StoredScope } from "@/lib/scope/types";

/** next-auth's id of the OIDC provider: the callback is /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = "oidc";

/**
 * Why an IdP sign-in was refused. Each is a next-auth error code (`/sign-in?error=…`) that the
 * sign-in page shows as a localized message (messages/*.json auth.sso.errors).
 */
export const OIDC_REFUSALS = {
  no_email: "OidcNoEmail",
  email_unverified: "OidcEmailUnverified",
  unknown_operator: "OidcUnknownOperator",
  no_role: "OidcNoRole",
  /** Scope mapping is on and the claim holds no mapped group (and the map has no "*"). */
  no_scope: "OidcNoScope",
  /** Scope mapping is on and the claim's groups map to different scopes. */
  scope_ambiguous: "OidcScopeAmbiguous",
  disabled: "OidcDisabled",
} as const;
export type OidcRefusal = keyof typeof OIDC_REFUSALS;

/** The ID token's claims next-auth hands over (already verified: signature, iss, aud, exp, nonce). */
export type OidcClaims = Record<string, unknown> & { sub?: unknown; email?: unknown; email_verified?: unknown; name?: unknown };

export type OidcSignInResult =
  | { ok: true; operator: OperatorIdentity; session: { id: string; expiresAt: Date } }
  | { ok: false; reason: OidcRefusal };

function readCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (!existsSync(file)) {
    logger.error({ file }, "OIDC_CA_FILE does not exist; the IdP's certificate must then be trusted by the system");
    return undefined;
  }
  return readFileSync(file, "utf8");
}

/**
 * next-auth's OAuth provider for any standard IdP: discovery, authorization code with PKCE,
 * state and nonce; the profile comes from the verified ID token. TLS verification stays on: an
 * extra CA (OIDC_CA_FILE; demo: the local tenant's) is added to openid-client's HTTP options.
 */
export function oidcProvider(settings: OidcSettings): OAuthConfig<OidcClaims> {
  const ca = readCa(settings.caFile);
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.name,
    type: "oauth",
    wellKnown: settings.wellKnown,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    client: { id_token_signed_response_alg: "RS256" },
    httpOptions: { timeout: 10_000, ...(ca === undefined ? {} : { ca }) },
    profile(claims) {
      return {
        id: typeof claims.sub === "string" ? claims.sub : "",
        email: typeof claims.email === "string" ? claims.email : null,
        name: typeof claims.name === "string" ? claims.name : null,
        // Filled in by the signIn callback once signInWithOidc opened a Passdesk session; empty
        // values would only ever produce a session token that is refused.
        sessionId: "",
        sessionExpiresAt: 0,
      };
    },
  };
}

function issuerOf(claims: OidcClaims, settings: OidcSettings): string {
  return typeof claims["iss"] === "string" ? claims["iss"] : settings.issuer;
}

function displayName(claims: OidcClaims, email: string): string {
  const name = typeof claims.name === "string" ? claims.name.trim() : "";
  return (name || email.split("@")[0] || email).slice(0, 100);
}

/**
 * Turns a verified IdP sign-in into a Passdesk session. A verified email matches an existing
 * operator; nobody is created unless role mapping is configured and maps the claim. With role
 * mapping the role follows the claim at every sign-in (a change ends the operator's other
 * sessions, like a role change by an admin), and no mapped role means no access. With scope
 * mapping the scope follows the claim the same way (OIDC_SCOPE_MAP, lib/auth/oidc-scope-map.ts):
 * a newcomer is created with it, a change is audited as operator.scope_changed and ends the
 * operator's other sessions, and a claim that maps to no scope or to several is refused before
 * anything is written. A disabled operator is refused. Every outcome is audited with the method
 * and the issuer.
 */
export async function signInWithOidc(
  claims: OidcClaims,
  settings: OidcSettings,
  meta: RequestMeta,
  now = new Date(),
): Promise<OidcSignInResult> {
  const issuer = issuerOf(claims, settings);
  const email = typeof claims.email === "string" ? normalizeEmail(claims.email) : "";
  const refuse = async (reason: OidcRefusal): Promise<OidcSignInResult> => {
    await recordOperatorEvent("operator.sign_in_failed", {
      actor: null,
      meta,
      target: { email: email || "(none)" },
      details: { failureReason: reason, method: "oidc", issuer },
      outcome: "FAILED",
    });
    return { ok: false, reason };
  };
  if (!email) return refuse("no_email");
  if (claims.email_verified !== true) return refuse("email_unverified");

  const db = await getPrisma();
  const mapped: Role | null = settings.roleMapping ? mapRole(settings.roleMapping.map, claims[settings.roleMapping.claim]) : null;
  const scoped = settings.scopeMapping ? mapScope(settings.scopeMapping.map, claims[settings.scopeMapping.claim]) : null;
  let operator: (OperatorIdentityRow & { disabled: boolean }) | null = await db.operator.findUnique({
    where: { email },
    select: { ...identitySelect, disabled: true },
  });
  if (operator?.disabled) return refuse("disabled");
  if (!operator) {
    if (!mapped) return refuse(settings.roleMapping ? "no_role" : "unknown_operator");
    if (scoped && !scoped.ok) return refuse(scoped.reason);
    const scope = scoped?.scope ?? null;
    try {
      // The operator never gets a Passdesk password: a random one nobody knows, kept only as its hash.
      const created = await createOperator({ email, name: displayName(claims, email), role: mapped, password: randomBytes(32).toString("base64url"), scope });
      operator = { ...created, disabled: false, scope };
      await recordOperatorEvent("operator.created", {
        actor: null,
        meta,
        target: { email },
        details: { newRole: mapped, ...(scoped ? { newScope: scopeDetail(scope) } : {}), via: "oidc", issuer },
      });
    } catch (error) {
      if (!(error instanceof OperatorExistsError)) throw error;
      // Created by a simultaneous sign-in: use that row.
      operator = await db.operator.findUniqueOrThrow({
        where: { email },
        select: { ...identitySelect, disabled: true },
      });
      if (operator.disabled) return refuse("disabled");
    }
  } else {
    if (settings.roleMapping && !mapped) return refuse("no_role");
    if (scoped && !scoped.ok) return refuse(scoped.reason);
    if (mapped && mapped !== operator.role) {
      const previousRole = operator.role;
      await setOperatorRole(operator.id, mapped, now);
      operator = { ...operator, role: mapped };
      await recordOperatorEvent("operator.role_changed", {
        actor: null,
        meta,
        target: { email },
        details: { previousRole, newRole: mapped, via: "oidc", issuer },
      });
    }
    if (scoped) operator = { ...operator, scope: await followScopeClaim(operator.id, scoped.scope, issuer, meta, now) };
  }

  await db.operator.update({ where: { id: operator.id }, data: { lastSignInAt: now } });
  const session = await createOperatorSession(db, {
    operatorId: operator.id,
    ip: meta.ip,
    userAgent: meta.userAgent,
    now,
    settings: sessionSettings(),
    authMethod: "oidc",
  });
  const identity: OperatorIdentity = toOperatorIdentity(operator);
  await recordOperatorEvent("operator.sign_in", { actor: identity, meta, target: { email }, details: { method: "oidc", issuer } });
  return { ok: true, operator: identity, session };
}

/**
 * Sets the mapped scope through the operators service (audited operator.scope_changed, actor
 * none, via oidc); a change ends the operator's sessions, like a role change (the new one is
 * opened after). Returns the scope now stored.
 */
async function followScopeClaim(operatorId: string, scope: StoredScope | null, issuer: string, meta: RequestMeta, now: Date): Promise<StoredScope | null> {
  const target = await findOperatorById(operatorId);
  if (!target) throw new Error("operator vanished during sign-in");
  const change = await applyOperatorScope(target, scope, { kind: "oidc", meta }, { via: "oidc", issuer });
  if (change.ok && change.changed) await revokeOperatorSessions(await getPrisma(), operatorId, "scope_changed", now);
  return scope;
}

export { STEP_UP_SSO_DONE_PATH } from "./step-up-sso";

/**
 * How recent the IdP's `auth_time` must be for a step-up. We ask for prompt=login and max_age=0,
 * so a real re-authentication is seconds old; an IdP that ignored both answers with an old one.
 */
export const OIDC_STEP_UP_MAX_AGE_SECONDS = 60;
/** Tolerated clock difference with the IdP for an `auth_time` slightly in our future. */
const CLOCK_SKEW_SECONDS = 30;

export type OidcStepUpRefusal = "no_auth_time" | "auth_time_stale" | "email_unverified" | "other_identity" | "session_ended";
export type OidcStepUpResult = { ok: true } | { ok: false; reason: OidcStepUpRefusal };

/**
 * Step-up through the IdP for the operator of an open session: the ID token (already verified by
 * next-auth: signature, iss, aud, exp, nonce) must name the same operator (verified email) and
 * carry an `auth_time` within OIDC_STEP_UP_MAX_AGE_SECONDS. Then the existing session counts as
 * freshly authenticated (no new session: revoking it still ends it). Another identity is refused
 * and recorded; nothing is signed in or out. Audited as operator.step_up with method "oidc".
 */
export async function stepUpWithOidc(
  claims: OidcClaims,
  settings: OidcSettings,
  session: { sessionId: string; operator: OperatorIdentity },
  meta: RequestMeta,
  now = new Date(),
): Promise<OidcStepUpResult> {
  const issuer = issuerOf(claims, settings);
  const { operator } = session;
  const email = typeof claims.email === "string" ? normalizeEmail(claims.email) : "";
  const record = async (outcome: "SUCCEEDED" | "FAILED", extra: Record<string, string> = {}) =>
    recordOperatorEvent("operator.step_up", {
      actor: operator,
      meta,
      target: { email: operator.email },
      details: { method: "oidc", issuer, ...extra },
      outcome,
    });
  const refuse = async (reason: OidcStepUpRefusal, extra: Record<string, string> = {}): Promise<OidcStepUpResult> => {
    await record("FAILED", { failureReason: reason, ...extra });
    if (reason === "other_identity") {
      logger.warn({ operatorId: operator.id, issuer }, "OIDC step-up returned another identity; refused");
    }
    return { ok: false, reason };
  };
  if (!email || email !== normalizeEmail(operator.email)) {
    return refuse("other_identity", email ? { emailMasked: maskEmail(email) } : {});
  }
  if (claims.email_verified !== true) return refuse("email_unverified");
  const authTime = claims["auth_time"];
  if (typeof authTime !== "number" || !Number.isFinite(authTime)) return refuse("no_auth_time");
  const age = now.getTime() / 1000 - authTime;
  if (age > OIDC_STEP_UP_MAX_AGE_SECONDS || age < -CLOCK_SKEW_SECONDS) return refuse("auth_time_stale");
  const db = await getPrisma();
  if (!(await markSessionAuthenticated(db, session.sessionId, "oidc", now))) return refuse("session_ended");
  await record("SUCCEEDED");
  return { ok: true };
}
