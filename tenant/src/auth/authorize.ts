import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { issuerOf, type TenantContext } from "../context.ts";
import { escapeHtml, type JsonObject, OAuthError, readRawBody, sendHtml, sendJson, clientIp } from "../http.ts";
import { userAgentOf, writeLog } from "../logs.ts";
import type { RouteRequest } from "../router-types.ts";
import { newOpaqueId } from "../sessions.ts";
import type { Client, Connection, User } from "../types.ts";
import { isDatabaseConnection } from "../user-service.ts";
import {
  authenticateWithPassword,
  clientCredentials,
  field,
  issueUserTokens,
  recordLogin,
  ROLES_CLAIM,
  signInLogBase,
} from "./token.ts";

/** An authorization code lives this long (Auth0: short-lived; the exact value is unconfirmed, see tenant/README.md). */
export const AUTHORIZATION_CODE_LIFETIME_MS = 60_000;
/** A login page left open longer than this starts over. */
const TRANSACTION_LIFETIME_MS = 30 * 60_000;
/** The tenant's single sign-on cookie (Auth0 calls its own `auth0`). */
export const SSO_COOKIE = "auth0";

type AuthorizeParams = {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  maxAge?: number;
  prompt?: string;
  connection: string;
  lang: Lang;
};

type AuthorizationCode = {
  params: AuthorizeParams;
  userId: string;
  sessionId: string;
  authTime: number;
  expiresAt: number;
  used: boolean;
};

/** In-memory state of the authorization code flow, one per tenant context. */
export class OidcState {
  readonly transactions = new Map<string, { params: AuthorizeParams; expiresAt: number }>();
  readonly codes = new Map<string, AuthorizationCode>();
  /** Session id → when the user last entered a password in it (epoch ms). */
  readonly authTimes = new Map<string, number>();

  clear(): void {
    this.transactions.clear();
    this.codes.clear();
    this.authTimes.clear();
  }
}

const states = new WeakMap<TenantContext, OidcState>();

export function oidcStateOf(context: TenantContext): OidcState {
  let state = states.get(context);
  if (!state) {
    state = new OidcState();
    states.set(context, state);
  }
  return state;
}

/** GET /.well-known/openid-configuration */
export async function discovery(request: RouteRequest): Promise<void> {
  const issuer = issuerOf(request.context);
  sendJson(request.res, 200, {
    issuer,
    authorization_endpoint: `${issuer}authorize`,
    token_endpoint: `${issuer}oauth/token`,
    userinfo_endpoint: `${issuer}userinfo`,
    jwks_uri: `${issuer}.well-known/jwks.json`,
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", "password"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    code_challenge_methods_supported: ["S256", "plain"],
    claims_supported: [
      "aud",
      "auth_time",
      "email",
      "email_verified",
      "exp",
      "iat",
      "iss",
      "name",
      "nickname",
      "nonce",
      "picture",
      "sub",
      ROLES_CLAIM,
    ],
    request_uri_parameter_supported: false,
  });
}

/** Exact match, or `*` as the port of a loopback callback URL. */
export function callbackAllowed(client: Client, redirectUri: string): boolean {
  return (client.callbacks ?? []).some((allowed) => {
    if (allowed === redirectUri) return true;
    const wildcard = /^(http:\/\/(?:localhost|127\.0\.0\.1)):\*(\/.*)$/.exec(allowed);
    if (!wildcard) return false;
    const match = /^(http:\/\/(?:localhost|127\.0\.0\.1)):(\d{1,5})(\/.*)$/.exec(redirectUri);
    return match !== null && match[1] === wildcard[1] && match[3] === wildcard[2];
  });
}

function isPublic(client: Client): boolean {
  return client.app_type === "spa";
}

function loginConnection(context: TenantContext, client: Client, requested: string | null): Connection | undefined {
  const allowed = client.login_connections ?? [];
  const name = requested ?? allowed[0];
  if (!name || !allowed.includes(name)) return undefined;
  const connection = context.store.connectionByName(name);
  return isDatabaseConnection(connection) ? connection : undefined;
}

function redirectTo(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { Location: location, "Cache-Control": "no-store", ...headers });
  res.end();
}

function withQuery(base: string, values: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(values)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

function errorRedirect(res: ServerResponse, params: Pick<AuthorizeParams, "redirectUri" | "state">, error: string, description: string): void {
  redirectTo(res, withQuery(params.redirectUri, { error, error_description: description, state: params.state }));
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** GET /authorize — validates the request, then signs in from the SSO session or shows the login page. */
export async function authorize(request: RouteRequest): Promise<void> {
  const { context, req, res, url } = request;
  const query = url.searchParams;
  const lang = languageOf(req, query.get("ui_locales"));
  const clientId = query.get("client_id") ?? "";
  const client = context.store.clients.get(clientId);
  const redirectUri = query.get("redirect_uri") ?? "";
  // Until the client and its callback are known, errors are shown here, never redirected.
  if (!client) return sendHtml(res, 400, errorPage(lang, TEXT[lang].unknownClient));
  if (!callbackAllowed(client, redirectUri)) return sendHtml(res, 400, errorPage(lang, TEXT[lang].badCallback));
  const state = query.get("state") ?? undefined;
  const base = { redirectUri, ...(state === undefined ? {} : { state }) };
  if (query.get("response_type") !== "code")
    return errorRedirect(res, base, "unsupported_response_type", "Unsupported response_type: only code is supported");
  const scope = query.get("scope") ?? "openid";
  const codeChallenge = query.get("code_challenge") ?? undefined;
  const method = query.get("code_challenge_method") ?? (codeChallenge ? "plain" : undefined);
  if (method !== undefined && method !== "S256" && method !== "plain")
    return errorRedirect(res, base, "invalid_request", "Unsupported code_challenge_method");
  if (codeChallenge !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(codeChallenge))
    return errorRedirect(res, base, "invalid_request", "Invalid code_challenge");
  if (isPublic(client) && (codeChallenge === undefined || method !== "S256"))
    return errorRedirect(res, base, "invalid_request", "Parameter 'code_challenge' with method S256 is required for this client");
  const maxAgeRaw = query.get("max_age");
  const maxAge = maxAgeRaw === null ? undefined : Number(maxAgeRaw);
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0))
    return errorRedirect(res, base, "invalid_request", "max_age must be a non-negative integer");
  const connection = loginConnection(context, client, query.get("connection"));
  if (!connection) return errorRedirect(res, base, "invalid_request", "the connection is not enabled for this client");
  const prompt = query.get("prompt") ?? undefined;
  const nonce = query.get("nonce") ?? undefined;
  const params: AuthorizeParams = {
    clientId,
    redirectUri,
    scope,
    connection: connection.name,
    lang,
    ...(state === undefined ? {} : { state }),
    ...(nonce === undefined ? {} : { nonce }),
    ...(codeChallenge === undefined ? {} : { codeChallenge, codeChallengeMethod: method as "S256" | "plain" }),
    ...(maxAge === undefined ? {} : { maxAge }),
    ...(prompt === undefined ? {} : { prompt }),
  };

  // Single sign-on: a live session of a user of this connection, unless the client asks for a
  // fresh login (prompt=login) or the last password entry is older than max_age.
  const oidc = oidcStateOf(context);
  const sid = cookieValue(req, SSO_COOKIE);
  const session = sid ? context.sessions.get(sid) : undefined;
  const user = session ? context.store.users.get(session.userId) : undefined;
  const authTime = session ? oidc.authTimes.get(session.id) : undefined;
  const fresh =
    authTime !== undefined && (maxAge === undefined || (maxAge > 0 && context.now() - authTime <= maxAge * 1000));
  if (session && user && !user.blocked && fresh && prompt !== "login" && user.identities[0]?.connection === connection.name) {
    const ip = clientIp(req);
    writeLog(context, { ...signInLogBase(req, client, connection, ip, user, user.email ?? ""), type: "s" });
    return redirectTo(res, issueCode(context, params, user, session.id, authTime));
  }
  if (prompt === "none") return errorRedirect(res, base, "login_required", "Login required");

  const tx = newOpaqueId();
  oidc.transactions.set(tx, { params, expiresAt: context.now() + TRANSACTION_LIFETIME_MS });
  sendHtml(res, 200, loginPage(lang, { tx, client, connection }));
}

function issueCode(context: TenantContext, params: AuthorizeParams, user: User, sessionId: string, authTime: number): string {
  const code = newOpaqueId();
  oidcStateOf(context).codes.set(code, {
    params,
    userId: user.user_id,
    sessionId,
    authTime,
    expiresAt: context.now() + AUTHORIZATION_CODE_LIFETIME_MS,
    used: false,
  });
  return withQuery(params.redirectUri, { code, state: params.state });
}

/** POST /authorize — the hosted login page's form: the password grant's checks and events. */
export async function authorizeLogin(request: RouteRequest): Promise<void> {
  const { context, req, res } = request;
  const form = new URLSearchParams(await readRawBody(req));
  const oidc = oidcStateOf(context);
  const tx = form.get("tx") ?? "";
  const transaction = oidc.transactions.get(tx);
  const fallbackLang = languageOf(req, null);
  if (!transaction || transaction.expiresAt < context.now()) {
    oidc.transactions.delete(tx);
    return sendHtml(res, 400, errorPage(fallbackLang, TEXT[fallbackLang].expiredLogin));
  }
  const { params } = transaction;
  const lang = params.lang;
  const client = context.store.clients.get(params.clientId);
  const connection = client ? loginConnection(context, client, params.connection) : undefined;
  if (!client || !connection) return sendHtml(res, 400, errorPage(lang, TEXT[lang].unknownClient));
  const username = (form.get("username") ?? "").trim();
  const password = form.get("password") ?? "";
  if (!username || !password)
    return sendHtml(res, 400, loginPage(lang, { tx, client, connection, username, error: TEXT[lang].required }));
  const ip = clientIp(req);
  let user: User;
  try {
    user = await authenticateWithPassword(context, req, { client, connection, username, password, ip });
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const message =
      error.error === "too_many_attempts"
        ? TEXT[lang].blockedAttempts
        : error.error === "unauthorized"
          ? TEXT[lang].blockedUser
          : TEXT[lang].wrongPassword;
    return sendHtml(res, error.statusCode === 429 ? 429 : 401, loginPage(lang, { tx, client, connection, username, error: message }));
  }
  oidc.transactions.delete(tx);
  const sessionId = newOpaqueId();
  const createdAt = Date.now();
  const agent = userAgentOf(req).user_agent;
  context.sessions.add({
    id: sessionId,
    userId: user.user_id,
    clientId: client.client_id,
    createdAt,
    lastInteractedAt: createdAt,
    device: { ip, ...(agent ? { userAgent: agent } : {}) },
  });
  const authTime = context.now();
  oidc.authTimes.set(sessionId, authTime);
  recordLogin(context, user, ip);
  writeLog(context, { ...signInLogBase(req, client, connection, ip, user, username), type: "s" });
  redirectTo(res, issueCode(context, params, user, sessionId, authTime), {
    "Set-Cookie": `${SSO_COOKIE}=${sessionId}; Path=/; HttpOnly; Secure; SameSite=Lax`,
  });
}

function verifierMatches(code: AuthorizationCode, verifier: string | undefined): boolean {
  const { codeChallenge, codeChallengeMethod } = code.params;
  if (codeChallenge === undefined) return verifier === undefined;
  if (verifier === undefined || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = codeChallengeMethod === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(codeChallenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** grant_type=authorization_code at /oauth/token: single-use, short-lived, bound to client, callback and PKCE. */
export async function authorizationCodeGrant(
  context: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: JsonObject,
): Promise<void> {
  const { clientId, clientSecret } = clientCredentials(req, body);
  const client = clientId ? context.store.clients.get(clientId) : undefined;
  if (!client || (isPublic(client) ? clientSecret !== undefined : !client.client_secret || client.client_secret !== clientSecret))
    throw new OAuthError(401, "access_denied", "Unauthorized");
  const value = field(body, "code") ?? "";
  const oidc = oidcStateOf(context);
  const code = oidc.codes.get(value);
  const fail = (description: string, userId?: string): never => {
    writeLog(context, {
      type: "feacft",
      description,
      client_id: client.client_id,
      ip: clientIp(req),
      ...(userId === undefined ? {} : { user_id: userId }),
    });
    throw new OAuthError(403, "invalid_grant", description);
  };
  if (!code || code.params.clientId !== client.client_id) return fail("Invalid authorization code");
  if (code.used) {
    // A replayed code: refused, and the session it opened no longer mints tokens from it.
    oidc.codes.delete(value);
    return fail("Invalid authorization code", code.userId);
  }
  code.used = true;
  if (code.expiresAt < context.now()) return fail("Invalid authorization code", code.userId);
  if (field(body, "redirect_uri") !== code.params.redirectUri)
    return fail("Invalid redirect_uri: it must match the one of the authorization request", code.userId);
  if (!verifierMatches(code, field(body, "code_verifier")))
    return fail("Failed to verify code verifier", code.userId);
  const user = context.store.users.get(code.userId);
  const session = context.sessions.get(code.sessionId);
  if (!user || !session || user.blocked) return fail("Invalid authorization code", code.userId);
  const tokens = await issueUserTokens(context, client, user, code.params.scope, undefined, session.id, {
    ...(code.params.nonce === undefined ? {} : { nonce: code.params.nonce }),
    authTime: Math.floor(code.authTime / 1000),
  });
  context.stats.userTokensIssued += 1;
  writeLog(context, {
    type: "seacft",
    client_id: client.client_id,
    ip: clientIp(req),
    user_id: user.user_id,
    ...(user.email === undefined ? {} : { user_name: user.email }),
  });
  sendJson(res, 200, tokens, { "Cache-Control": "no-store", Pragma: "no-cache" });
}

type Lang = "en" | "ja";

const TEXT = {
  en: {
    title: "Log in",
    intro: (app: string, directory: string) => `Log in to ${app} with your ${directory} account.`,
    email: "Email address",
    password: "Password",
    submit: "Continue",
    required: "Enter your email address and password.",
    wrongPassword: "Wrong email or password.",
    blockedAttempts:
      "Your account has been blocked after multiple consecutive login attempts. Ask your administrator to unblock it.",
    blockedUser: "This account is blocked. Ask your administrator.",
    unknownClient: "This login link is not valid: the application is unknown.",
    badCallback: "This login link is not valid: its callback URL is not allowed for the application.",
    expiredLogin: "This login page has expired. Go back to the application and sign in again.",
    error: "Something went wrong",
    language: "日本語",
  },
  ja: {
    title: "ログイン",
    intro: (app: string, directory: string) => `${directory} のアカウントで ${app} にログインします。`,
    email: "メールアドレス",
    password: "パスワード",
    submit: "続行",
    required: "メールアドレスとパスワードを入力してください。",
    wrongPassword: "メールアドレスまたはパスワードが正しくありません。",
    blockedAttempts:
      "ログインの失敗が続いたため、このアカウントはブロックされました。管理者にブロックの解除を依頼してください。",
    blockedUser: "このアカウントはブロックされています。管理者にお問い合わせください。",
    unknownClient: "このログインリンクは無効です。アプリケーションが登録されていません。",
    badCallback: "このログインリンクは無効です。コールバック URL がアプリケーションに許可されていません。",
    expiredLogin: "このログインページは有効期限が切れました。アプリケーションに戻って、もう一度サインインしてください。",
    error: "エラーが発生しました",
    language: "English",
  },
} as const;

function languageOf(req: IncomingMessage, override: string | null): Lang {
  const first = (override ?? "").split(" ")[0]?.toLowerCase() ?? "";
  if (first.startsWith("ja")) return "ja";
  if (first.startsWith("en")) return "en";
  const accept = (req.headers["accept-language"] ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return accept.startsWith("ja") ? "ja" : "en";
}

function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1f2937}label{display:block;margin-top:1rem;font-weight:600}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.6rem 1rem;font-size:1rem}.error{color:#b91c1c}.notice{padding:1rem;border:1px solid #d1d5db;border-radius:.5rem}:focus-visible{outline:3px solid #4f46e5;outline-offset:2px}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function errorPage(lang: Lang, message: string): string {
  return page(lang, TEXT[lang].error, `<p class="notice error" role="alert">${escapeHtml(message)}</p>`);
}

function loginPage(
  lang: Lang,
  view: { tx: string; client: Client; connection: Connection; username?: string; error?: string },
): string {
  const text = TEXT[lang];
  const error = view.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(view.error)}</p>`
    : "";
  const described = view.error ? ' aria-describedby="login-error" aria-invalid="true"' : "";
  return page(
    lang,
    text.title,
    `<p>${escapeHtml(text.intro(view.client.name, view.connection.display_name))}</p>${error}
<form method="post" action="/authorize">
<input type="hidden" name="tx" value="${escapeHtml(view.tx)}">
<label for="username">${escapeHtml(text.email)}</label>
<input id="username" name="username" type="email" autocomplete="username" required autofocus value="${escapeHtml(view.username ?? "")}"${described}>
<label for="password">${escapeHtml(text.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}>
<button type="submit">${escapeHtml(text.submit)}</button>
</form>`,
  );
}
