import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { issuerOf, managementAudienceOf, type TenantContext } from "../context.ts";
import { clientIp, type JsonObject, OAuthError, readOAuthBody, sendJson } from "../http.ts";
import { BruteForceProtection, TOO_MANY_ATTEMPTS_DESCRIPTION } from "../brute-force.ts";
import { userAgentOf, writeLog } from "../logs.ts";
import { verifyPassword } from "../password-hash.ts";
import { DATABASE_CONNECTION } from "../seed.ts";
import { newOpaqueId } from "../sessions.ts";
import type { Client, Connection, LogEvent, User } from "../types.ts";
import { isDatabaseConnection, nowIso } from "../user-service.ts";
import { authorizationCodeGrant } from "./authorize.ts";

const MANAGEMENT_TOKEN_LIFETIME_SEC = 86_400;
const USER_TOKEN_LIFETIME_SEC = 86_400;
const ID_TOKEN_LIFETIME_SEC = 36_000;
const PASSWORD_REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm";

export function field(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Client id/secret from the body or from HTTP Basic auth (client_secret_basic). */
export function clientCredentials(
  req: IncomingMessage,
  body: JsonObject,
): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    return {
      ...(id ? { clientId: decodeURIComponent(id) } : {}),
      ...(secret ? { clientSecret: decodeURIComponent(secret) } : {}),
    };
  }
  const clientId = field(body, "client_id");
  const clientSecret = field(body, "client_secret");
  return { ...(clientId ? { clientId } : {}), ...(clientSecret ? { clientSecret } : {}) };
}

/** Mints a Management API token; also used by the control API to mint test tokens. */
export async function mintManagementToken(
  context: TenantContext,
  client: Client,
  scopes: readonly string[],
  lifetimeSec = MANAGEMENT_TOKEN_LIFETIME_SEC,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return context.keys.sign({
    iss: issuerOf(context),
    sub: `${client.client_id}@clients`,
    aud: managementAudienceOf(context),
    iat: now,
    exp: now + lifetimeSec,
    scope: scopes.join(" "),
    gty: "client-credentials",
    azp: client.client_id,
    jti: randomUUID(),
  });
}

async function clientCredentialsGrant(
  context: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: JsonObject,
): Promise<void> {
  const { clientId, clientSecret } = clientCredentials(req, body);
  const client = clientId ? context.store.clients.get(clientId) : undefined;
  if (!client || !client.client_secret || client.client_secret !== clientSecret) {
    throw new OAuthError(401, "access_denied", "Unauthorized");
  }
  const audience = field(body, "audience");
  if (audience !== managementAudienceOf(context)) {
    throw new OAuthError(
      403,
      "access_denied",
      audience
        ? `Service not found: ${audience}`
        : "No audience parameter was provided, and no default audience has been configured",
    );
  }
  if (client.scopes.length === 0) {
    throw new OAuthError(403, "access_denied", `Client has not been granted scopes: ${client.client_id}`);
  }
  // A requested scope narrows the grant, like Auth0 does.
  const requested = field(body, "scope")?.split(" ");
  const scopes = requested ? client.scopes.filter((s) => requested.includes(s)) : client.scopes;
  const token = await mintManagementToken(context, client, scopes);
  context.stats.tokensIssued += 1;
  writeLog(context, {
    type: "seccft",
    client_id: client.client_id,
    ip: clientIp(req),
    details: { audience },
  });
  sendJson(
    res,
    200,
    {
      access_token: token,
      expires_in: MANAGEMENT_TOKEN_LIFETIME_SEC,
      scope: scopes.join(" "),
      token_type: "Bearer",
    },
    { "Cache-Control": "no-store", Pragma: "no-cache" },
  );
}

/** The custom claim with a user's `app_metadata.roles` (what an Auth0 Action would add). */
export const ROLES_CLAIM = "https://passdesk.dev/roles";

/** Claims about the user shared by ID tokens and /userinfo. */
export function profileClaims(user: User): JsonObject {
  const roles = user.app_metadata["roles"];
  return {
    name: user.name,
    nickname: user.nickname,
    picture: user.picture,
    updated_at: user.updated_at,
    ...(user.email === undefined ? {} : { email: user.email, email_verified: user.email_verified ?? false }),
    ...(Array.isArray(roles) ? { [ROLES_CLAIM]: roles.filter((role) => typeof role === "string") } : {}),
  };
}

export async function issueUserTokens(
  context: TenantContext,
  client: Client,
  user: User,
  scope: string,
  audience: string | undefined,
  sessionId: string,
  extra: { nonce?: string; authTime?: number } = {},
): Promise<JsonObject> {
  const now = Math.floor(Date.now() / 1000);
  const issuer = issuerOf(context);
  const accessToken = await context.keys.sign({
    iss: issuer,
    sub: user.user_id,
    aud: audience ? [audience, `${issuer}userinfo`] : `${issuer}userinfo`,
    iat: now,
    exp: now + USER_TOKEN_LIFETIME_SEC,
    scope,
    azp: client.client_id,
    sid: sessionId,
  });
  const idToken = await context.keys.sign({
    iss: issuer,
    sub: user.user_id,
    aud: client.client_id,
    iat: now,
    exp: now + ID_TOKEN_LIFETIME_SEC,
    sid: sessionId,
    ...(extra.nonce === undefined ? {} : { nonce: extra.nonce }),
    ...(extra.authTime === undefined ? {} : { auth_time: extra.authTime }),
    ...profileClaims(user),
  });
  return {
    access_token: accessToken,
    id_token: idToken,
    scope,
    expires_in: USER_TOKEN_LIFETIME_SEC,
    token_type: "Bearer",
  };
}

type PasswordAttempt = {
  client: Client;
  connection: Connection;
  username: string;
  password: string;
  /** The end user's address (for brute-force protection and the log). */
  ip: string;
};

/** The fields every sign-in log event of a database connection carries. */
export function signInLogBase(
  req: IncomingMessage,
  client: Client,
  connection: Connection,
  ip: string,
  user: User | undefined,
  username: string,
): Omit<LogEvent, "log_id" | "date" | "description" | "type"> {
  return {
    client_id: client.client_id,
    ip,
    ...userAgentOf(req),
    connection: connection.name,
    connection_id: connection.id,
    strategy: "auth0",
    strategy_type: "database",
    ...(user ? { user_id: user.user_id, user_name: user.email ?? username } : { user_name: username }),
  };
}

/**
 * Checks a username and password against a database connection, the one code path of the
 * password grant and the hosted login page: brute-force protection (limit_wc), the failure
 * events (fp / fu / f) and the counters. Throws an OAuthError on refusal; the caller writes the
 * success event (`s`) once it has created the session.
 */
export async function authenticateWithPassword(
  context: TenantContext,
  req: IncomingMessage,
  attempt: PasswordAttempt,
): Promise<User> {
  const { client, connection, username, password, ip } = attempt;
  const user =
    context.store.findInConnection(username, connection.name) ??
    [...context.store.users.values()].find(
      (u) => u.username === username && u.identities[0]?.connection === connection.name,
    );
  const logBase = signInLogBase(req, client, connection, ip, user, username);
  const now = context.clock.now();
  const protectedConnection = BruteForceProtection.appliesTo(connection);
  if (user && protectedConnection && context.bruteForce.isBlocked(user.user_id, ip, now)) {
    writeLog(context, { ...logBase, type: "limit_wc", description: TOO_MANY_ATTEMPTS_DESCRIPTION });
    throw new OAuthError(429, "too_many_attempts", TOO_MANY_ATTEMPTS_DESCRIPTION);
  }
  const hash = user ? context.store.secrets.get(user.user_id)?.passwordHash : undefined;
  if (!user || !hash || !(await verifyPassword(password, hash))) {
    writeLog(context, {
      ...logBase,
      type: user ? "fp" : "fu",
      description: "Wrong email or password.",
      details: { error: { message: user ? "Wrong email or password." : "Invalid email or username" } },
    });
    if (user && protectedConnection)
      context.bruteForce.recordFailure(user, username.toLowerCase(), ip, connection, now);
    throw new OAuthError(403, "invalid_grant", "Wrong email or password.");
  }
  if (user.blocked) {
    writeLog(context, { ...logBase, type: "f", description: "user is blocked" });
    throw new OAuthError(401, "unauthorized", "user is blocked");
  }
  context.bruteForce.recordSuccess(user.user_id, ip);
  return user;
}

/** last_login, last_ip and logins_count after a successful sign-in. */
export function recordLogin(context: TenantContext, user: User, ip: string): void {
  const loginAt = nowIso();
  context.store.putUser({
    ...user,
    last_login: loginAt,
    last_ip: ip,
    logins_count: (user.logins_count ?? 0) + 1,
    updated_at: loginAt,
  });
}

async function passwordGrant(
  context: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: JsonObject,
  realmRequired: boolean,
): Promise<void> {
  const { clientId, clientSecret } = clientCredentials(req, body);
  const client = clientId ? context.store.clients.get(clientId) : undefined;
  if (!client || (clientSecret !== undefined && client.client_secret !== clientSecret)) {
    throw new OAuthError(401, "access_denied", "Unauthorized");
  }
  const username = field(body, "username");
  const password = typeof body["password"] === "string" ? body["password"] : undefined;
  if (!username || password === undefined)
    throw new OAuthError(400, "invalid_request", "Missing required parameter: username or password");
  const realm = field(body, "realm");
  if (realmRequired && !realm)
    throw new OAuthError(400, "invalid_request", "Missing required parameter: realm");
  // The plain password grant uses the tenant's default directory.
  const connection = context.store.connectionByName(realm ?? DATABASE_CONNECTION);
  if (!isDatabaseConnection(connection))
    throw new OAuthError(400, "invalid_request", "connection is disabled or does not exist");
  // Auth0 takes the end user's IP from `auth0-forwarded-for` only from a confidential client
  // that authenticated itself ("Trust Token Endpoint IP Header").
  const forwarded = req.headers["auth0-forwarded-for"];
  const ip =
    clientSecret !== undefined && typeof forwarded === "string" && forwarded.trim() !== ""
      ? (forwarded.split(",")[0]?.trim() ?? clientIp(req))
      : clientIp(req);
  const user = await authenticateWithPassword(context, req, {
    client,
    connection,
    username,
    password,
    ip,
  });

  const sessionId = newOpaqueId();
  const scope = field(body, "scope") ?? "openid profile email";
  const audience = field(body, "audience");
  const tokens = await issueUserTokens(context, client, user, scope, audience, sessionId);
  const refreshToken = scope.split(" ").includes("offline_access") ? newOpaqueId() : undefined;
  const device = { ip, ...(userAgentOf(req).user_agent ? { userAgent: userAgentOf(req).user_agent } : {}) };
  const createdAt = Date.now();
  context.sessions.add({
    id: sessionId,
    userId: user.user_id,
    clientId: client.client_id,
    createdAt,
    lastInteractedAt: createdAt,
    device,
  });
  if (refreshToken)
    context.sessions.addRefreshToken({
      id: newOpaqueId(),
      token: refreshToken,
      userId: user.user_id,
      clientId: client.client_id,
      sessionId,
      createdAt,
      audience: audience ?? `${issuerOf(context)}userinfo`,
      scopes: scope.split(" ").filter(Boolean),
      device,
    });
  recordLogin(context, user, ip);
  context.stats.userTokensIssued += 1;
  writeLog(context, { ...signInLogBase(req, client, connection, ip, user, username), type: "s" });
  sendJson(
    res,
    200,
    { ...tokens, ...(refreshToken ? { refresh_token: refreshToken } : {}) },
    { "Cache-Control": "no-store", Pragma: "no-cache" },
  );
}

async function refreshTokenGrant(
  context: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: JsonObject,
): Promise<void> {
  const { clientId } = clientCredentials(req, body);
  const client = clientId ? context.store.clients.get(clientId) : undefined;
  if (!client) throw new OAuthError(401, "access_denied", "Unauthorized");
  const value = field(body, "refresh_token") ?? "";
  const token = context.sessions.byRefresh(value);
  const user = token ? context.store.users.get(token.userId) : undefined;
  if (!token || !user || token.clientId !== client.client_id) {
    const ownerId = token?.userId ?? context.sessions.revokedOwner(value);
    const owner = ownerId === undefined ? undefined : context.store.users.get(ownerId);
    writeLog(context, {
      type: "fertft",
      description: "Unknown or invalid refresh token.",
      client_id: client.client_id,
      ip: clientIp(req),
      ...(ownerId === undefined ? {} : { user_id: ownerId }),
      ...(owner?.email === undefined ? {} : { user_name: owner.email }),
    });
    throw new OAuthError(403, "invalid_grant", "Unknown or invalid refresh token.");
  }
  token.lastExchangedAt = Date.now();
  const tokens = await issueUserTokens(
    context,
    client,
    user,
    field(body, "scope") ?? "openid profile email",
    undefined,
    token.sessionId,
  );
  writeLog(context, {
    type: "sertft",
    client_id: client.client_id,
    ip: clientIp(req),
    user_id: user.user_id,
    ...(user.email === undefined ? {} : { user_name: user.email }),
  });
  sendJson(res, 200, tokens, { "Cache-Control": "no-store" });
}

/** POST /oauth/token */
export async function handleToken(
  context: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readOAuthBody(req);
  const grantType = field(body, "grant_type");
  switch (grantType) {
    case "client_credentials":
      return clientCredentialsGrant(context, req, res, body);
    case "password":
      return passwordGrant(context, req, res, body, false);
    case PASSWORD_REALM_GRANT:
      return passwordGrant(context, req, res, body, true);
    case "refresh_token":
      return refreshTokenGrant(context, req, res, body);
    case "authorization_code":
      return authorizationCodeGrant(context, req, res, body);
    case undefined:
      throw new OAuthError(400, "invalid_request", "Missing required parameter: grant_type");
    default:
      throw new OAuthError(
        403,
        "unauthorized_client",
        `Grant type '${grantType}' not allowed for the client.`,
      );
  }
}

/** GET /userinfo — proves whether a user's session is still alive (sessions end on a password change). */
export async function handleUserInfo(
  context: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  let sub: string | undefined;
  let sid: unknown;
  try {
    const payload = await context.keys.verify(match?.[1] ?? "", {
      issuer: issuerOf(context),
      audience: `${issuerOf(context)}userinfo`,
    });
    sub = payload.sub;
    sid = payload["sid"];
  } catch {
    sub = undefined;
  }
  const session = typeof sid === "string" ? context.sessions.get(sid) : undefined;
  const user = sub ? context.store.users.get(sub) : undefined;
  if (!user || !session || session.userId !== sub) {
    res.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
    sendJson(res, 401, {
      error: "invalid_token",
      error_description: "The access token is invalid or the session has ended.",
    });
    return;
  }
  sendJson(res, 200, { sub: user.user_id, ...profileClaims(user) });
}
