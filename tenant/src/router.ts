import type { ServerResponse } from "node:http";
import { requireManagementToken } from "./auth/bearer.ts";
import { handleChangePassword } from "./auth/change-password.ts";
import { authorize, authorizeLogin, discovery } from "./auth/authorize.ts";
import { handleToken, handleUserInfo } from "./auth/token.ts";
import * as control from "./control.ts";
import type { TenantContext } from "./context.ts";
import type { FaultAction } from "./faults.ts";
import {
  ApiError,
  clientIp,
  JSON_CONTENT_TYPE,
  OAuthError,
  reasonPhrase,
  sendApiError,
  sendJson,
} from "./http.ts";
import { getConnection, listConnections } from "./management/connections.ts";
import { controlClock } from "./clock.ts";
import { listLogs, listUserLogs } from "./management/logs.ts";
import {
  deleteUserBlocks,
  deleteUserBlocksByIdentifier,
  listUserBlocks,
  listUserBlocksByIdentifier,
} from "./management/user-blocks.ts";
import { createPasswordChangeTicket } from "./management/tickets.ts";
import { createUser, deleteUser, getUser, listUsers, updateUser, usersByEmail } from "./management/users.ts";
import {
  deleteRefreshToken,
  deleteSession,
  deleteUserRefreshTokens,
  deleteUserSessions,
  getRefreshToken,
  getSession,
  listUserRefreshTokens,
  listUserSessions,
} from "./management/sessions.ts";
import {
  deleteAuthenticationMethod,
  deleteAuthenticationMethods,
  getAuthenticationMethod,
  listAuthenticationMethods,
} from "./management/authentication-methods.ts";
import { createVerificationEmailJob, emailVerificationPage, getJob } from "./management/jobs.ts";
import {
  addOrganizationMembers,
  createOrganization,
  getOrganization,
  listOrganizationMembers,
  listOrganizations,
  listUserOrganizations,
} from "./management/organizations.ts";
import { outboxJson, outboxPage } from "./outbox.ts";
import { MANAGEMENT_429_BODY, rateLimitHeaders, type RateLimitDecision } from "./rate-limit.ts";
import { resetPageGet, resetPagePost } from "./reset-page.ts";
import type { Route, RouteRequest } from "./router-types.ts";
import type { IncomingMessage } from "node:http";

const ID = "([^/]+)";

export const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^\/oauth\/token$/,
    name: "POST /oauth/token",
    group: "token",
    handler: (r) => handleToken(r.context, r.req, r.res),
  },
  {
    method: "GET",
    pattern: /^\/userinfo$/,
    name: "GET /userinfo",
    group: "other",
    handler: (r) => handleUserInfo(r.context, r.req, r.res),
  },
  {
    method: "GET",
    pattern: /^\/\.well-known\/openid-configuration$/,
    name: "GET /.well-known/openid-configuration",
    group: "other",
    handler: discovery,
  },
  {
    method: "GET",
    pattern: /^\/authorize$/,
    name: "GET /authorize",
    group: "other",
    handler: authorize,
  },
  {
    method: "POST",
    pattern: /^\/authorize$/,
    name: "POST /authorize",
    group: "other",
    handler: authorizeLogin,
  },
  {
    method: "GET",
    pattern: /^\/\.well-known\/jwks\.json$/,
    name: "GET /.well-known/jwks.json",
    group: "other",
    handler: async (r) => sendJson(r.res, 200, r.context.keys.jwks()),
  },
  // Rate-limited per (ip, email) inside the handler, as Auth0 does.
  {
    method: "POST",
    pattern: /^\/dbconnections\/change_password$/,
    name: "POST /dbconnections/change_password",
    group: null,
    handler: (r) => handleChangePassword(r.context, r.req, r.res),
  },

  {
    method: "GET",
    pattern: /^\/api\/v2\/users$/,
    name: "GET /api/v2/users",
    group: "users:read",
    scopes: ["read:users"],
    handler: listUsers,
  },
  {
    method: "POST",
    pattern: /^\/api\/v2\/users$/,
    name: "POST /api/v2/users",
    group: "users:write",
    scopes: ["create:users"],
    handler: createUser,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/users/${ID}$`),
    name: "GET /api/v2/users/{id}",
    group: "users:read",
    scopes: ["read:users"],
    handler: getUser,
  },
  {
    method: "PATCH",
    pattern: new RegExp(`^/api/v2/users/${ID}$`),
    name: "PATCH /api/v2/users/{id}",
    group: "users:write",
    scopes: ["update:users"],
    handler: updateUser,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v2/users/${ID}$`),
    name: "DELETE /api/v2/users/{id}",
    group: "users:write",
    scopes: ["delete:users"],
    handler: deleteUser,
  },
  {
    method: "GET",
    pattern: /^\/api\/v2\/users-by-email$/,
    name: "GET /api/v2/users-by-email",
    group: "users:read",
    scopes: ["read:users"],
    handler: usersByEmail,
  },
  {
    method: "GET",
    pattern: /^\/api\/v2\/connections$/,
    name: "GET /api/v2/connections",
    group: "connections",
    scopes: ["read:connections"],
    handler: listConnections,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/connections/${ID}$`),
    name: "GET /api/v2/connections/{id}",
    group: "connections",
    scopes: ["read:connections"],
    handler: getConnection,
  },
  {
    method: "POST",
    pattern: /^\/api\/v2\/tickets\/password-change$/,
    name: "POST /api/v2/tickets/password-change",
    group: "tickets",
    scopes: ["create:user_tickets"],
    handler: createPasswordChangeTicket,
  },
  {
    method: "GET",
    pattern: /^\/api\/v2\/logs$/,
    name: "GET /api/v2/logs",
    group: "logs",
    scopes: ["read:logs", "read:logs_users"],
    handler: listLogs,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/users/${ID}/logs$`),
    name: "GET /api/v2/users/{id}/logs",
    group: "logs",
    scopes: ["read:logs", "read:logs_users"],
    handler: listUserLogs,
  },
  {
    method: "GET",
    pattern: /^\/api\/v2\/user-blocks$/,
    name: "GET /api/v2/user-blocks",
    group: "users:read",
    scopes: ["read:users"],
    handler: listUserBlocksByIdentifier,
  },
  {
    method: "DELETE",
    pattern: /^\/api\/v2\/user-blocks$/,
    name: "DELETE /api/v2/user-blocks",
    group: "users:write",
    scopes: ["update:users"],
    handler: deleteUserBlocksByIdentifier,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/user-blocks/${ID}$`),
    name: "GET /api/v2/user-blocks/{id}",
    group: "users:read",
    scopes: ["read:users"],
    handler: listUserBlocks,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v2/user-blocks/${ID}$`),
    name: "DELETE /api/v2/user-blocks/{id}",
    group: "users:write",
    scopes: ["update:users"],
    handler: deleteUserBlocks,
  },

  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/users/${ID}/sessions$`),
    name: "GET /api/v2/users/{id}/sessions",
    group: "users:read",
    scopes: ["read:sessions"],
    handler: listUserSessions,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v2/users/${ID}/sessions$`),
    name: "DELETE /api/v2/users/{id}/sessions",
    group: "users:write",
    scopes: ["delete:sessions"],
    handler: deleteUserSessions,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/sessions/${ID}$`),
    name: "GET /api/v2/sessions/{id}",
    group: "users:read",
    scopes: ["read:sessions"],
    handler: getSession,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v2/sessions/${ID}$`),
    name: "DELETE /api/v2/sessions/{id}",
    group: "users:write",
    scopes: ["delete:sessions"],
    handler: deleteSession,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/users/${ID}/refresh-tokens$`),
    name: "GET /api/v2/users/{id}/refresh-tokens",
    group: "users:read",
    scopes: ["read:refresh_tokens"],
    handler: listUserRefreshTokens,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v2/users/${ID}/refresh-tokens$`),
    name: "DELETE /api/v2/users/{id}/refresh-tokens",
    group: "users:write",
    scopes: ["delete:refresh_tokens"],
    handler: deleteUserRefreshTokens,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/refresh-tokens/${ID}$`),
    name: "GET /api/v2/refresh-tokens/{id}",
    group: "users:read",
    scopes: ["read:refresh_tokens"],
    handler: getRefreshToken,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v2/refresh-tokens/${ID}$`),
    name: "DELETE /api/v2/refresh-tokens/{id}",
    group: "users:write",
    scopes: ["delete:refresh_tokens"],
    handler: deleteRefreshToken,
  },

  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/users/${ID}/authentication-methods$`),
    name: "GET /api/v2/users/{id}/authentication-methods",
    group: "users:read",
    scopes: ["read:authentication_methods"],
    handler: listAuthenticationMethods,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v2/users/${ID}/authentication-methods$`),
    name: "DELETE /api/v2/users/{id}/authentication-methods",
    group: "users:write",
    scopes: ["delete:authentication_methods"],
    handler: deleteAuthenticationMethods,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/users/${ID}/authentication-methods/${ID}$`),
    name: "GET /api/v2/users/{id}/authentication-methods/{method}",
    group: "users:read",
    scopes: ["read:authentication_methods"],
    handler: getAuthenticationMethod,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v2/users/${ID}/authentication-methods/${ID}$`),
    name: "DELETE /api/v2/users/{id}/authentication-methods/{method}",
    group: "users:write",
    scopes: ["delete:authentication_methods"],
    handler: deleteAuthenticationMethod,
  },
  {
    method: "POST",
    pattern: /^\/api\/v2\/jobs\/verification-email$/,
    name: "POST /api/v2/jobs/verification-email",
    group: "users:write",
    scopes: ["update:users"],
    handler: createVerificationEmailJob,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/jobs/${ID}$`),
    name: "GET /api/v2/jobs/{id}",
    group: "users:read",
    scopes: ["read:users", "create:users"],
    handler: getJob,
  },
  {
    method: "GET",
    pattern: /^\/u\/email-verification$/,
    name: "GET /u/email-verification",
    group: "other",
    handler: emailVerificationPage,
  },
  {
    method: "GET",
    pattern: /^\/api\/v2\/organizations$/,
    name: "GET /api/v2/organizations",
    group: "other",
    scopes: ["read:organizations", "read:organizations_summary"],
    handler: listOrganizations,
  },
  {
    method: "POST",
    pattern: /^\/api\/v2\/organizations$/,
    name: "POST /api/v2/organizations",
    group: "other",
    scopes: ["create:organizations"],
    handler: createOrganization,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/organizations/${ID}$`),
    name: "GET /api/v2/organizations/{id}",
    group: "other",
    scopes: ["read:organizations"],
    handler: getOrganization,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/organizations/${ID}/members$`),
    name: "GET /api/v2/organizations/{id}/members",
    group: "other",
    scopes: ["read:organization_members"],
    handler: listOrganizationMembers,
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/v2/organizations/${ID}/members$`),
    name: "POST /api/v2/organizations/{id}/members",
    group: "other",
    scopes: ["create:organization_members"],
    handler: addOrganizationMembers,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v2/users/${ID}/organizations$`),
    name: "GET /api/v2/users/{id}/organizations",
    group: "users:read",
    scopes: ["read:organizations"],
    handler: listUserOrganizations,
  },
  {
    method: "GET",
    pattern: /^\/u\/reset-password$/,
    name: "GET /u/reset-password",
    group: "other",
    handler: resetPageGet,
  },
  {
    method: "POST",
    pattern: /^\/u\/reset-password$/,
    name: "POST /u/reset-password",
    group: "other",
    handler: resetPagePost,
  },
  { method: "GET", pattern: /^\/outbox$/, name: "GET /outbox", group: null, handler: outboxPage },
  { method: "GET", pattern: /^\/outbox\.json$/, name: "GET /outbox.json", group: null, handler: outboxJson },

  {
    method: "GET",
    pattern: /^\/__control\/health$/,
    name: "GET /__control/health",
    group: null,
    handler: control.health,
  },
  {
    method: "POST",
    pattern: /^\/__control\/faults$/,
    name: "POST /__control/faults",
    group: null,
    handler: control.addFault,
  },
  {
    method: "GET",
    pattern: /^\/__control\/faults$/,
    name: "GET /__control/faults",
    group: null,
    handler: control.listFaults,
  },
  {
    method: "DELETE",
    pattern: /^\/__control\/faults$/,
    name: "DELETE /__control/faults",
    group: null,
    handler: control.clearFaults,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/__control/faults/${ID}$`),
    name: "DELETE /__control/faults/{id}",
    group: null,
    handler: control.clearFaults,
  },
  {
    method: "PUT",
    pattern: /^\/__control\/rate-limits$/,
    name: "PUT /__control/rate-limits",
    group: null,
    handler: control.putRateLimits,
  },
  {
    method: "GET",
    pattern: /^\/__control\/stats$/,
    name: "GET /__control/stats",
    group: null,
    handler: control.getStats,
  },
  {
    method: "PUT",
    pattern: /^\/__control\/settings$/,
    name: "PUT /__control/settings",
    group: null,
    handler: control.putSettings,
  },
  {
    method: "PATCH",
    pattern: /^\/__control\/connections\/([^/]+)$/,
    name: "PATCH /__control/connections/{name}",
    group: null,
    handler: control.patchConnection,
  },
  {
    method: "POST",
    pattern: /^\/__control\/reset$/,
    name: "POST /__control/reset",
    group: null,
    handler: control.resetTenant,
  },
  {
    method: "POST",
    pattern: /^\/__control\/clock$/,
    name: "POST /__control/clock",
    group: null,
    handler: controlClock,
  },
  {
    method: "POST",
    pattern: /^\/__control\/tokens$/,
    name: "POST /__control/tokens",
    group: null,
    handler: control.mintToken,
  },
  {
    method: "PUT",
    pattern: /^\/__control\/scopes$/,
    name: "PUT /__control/scopes",
    group: null,
    handler: control.putScopes,
  },
];

function isAuthenticationApi(path: string): boolean {
  return path === "/oauth/token" || path.startsWith("/dbconnections/") || path === "/userinfo";
}

function sendRateLimited(res: ServerResponse, decision: RateLimitDecision, authenticationApi: boolean): void {
  const headers = { ...rateLimitHeaders(decision), "Retry-After": String(decision.retryAfter) };
  sendJson(
    res,
    429,
    authenticationApi
      ? { error: "too_many_requests", error_description: "Global limit has been reached" }
      : MANAGEMENT_429_BODY,
    headers,
  );
}

/** Applies an injected fault; returns true when the request is fully handled (no routing). */
async function applyFault(
  action: FaultAction,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  switch (action.type) {
    case "delay":
      await new Promise((resolve) => setTimeout(resolve, action.ms));
      return false;
    case "hang":
      // Never answer; the socket stays open until the client gives up or the server closes.
      return true;
    case "drop":
      req.socket.destroy();
      return true;
    case "malformed-json": {
      const body = '{"statusCode":200,"users":[{"user_id":"auth0|';
      res.writeHead(200, { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
      return true;
    }
    case "status": {
      const headers: Record<string, string> = {};
      if (action.retryAfterSec !== undefined) {
        headers["Retry-After"] = String(action.retryAfterSec);
        headers["X-RateLimit-Limit"] = "0";
        headers["X-RateLimit-Remaining"] = "0";
        headers["X-RateLimit-Reset"] = String(Math.ceil(Date.now() / 1000 + action.retryAfterSec));
      }
      if (action.status === 429) {
        sendJson(
          res,
          429,
          isAuthenticationApi(path)
            ? { error: "too_many_requests", error_description: "Global limit has been reached" }
            : MANAGEMENT_429_BODY,
          headers,
        );
      } else if (isAuthenticationApi(path)) {
        sendJson(
          res,
          action.status,
          { error: "server_error", error_description: `Injected fault: ${reasonPhrase(action.status)}` },
          headers,
        );
      } else {
        sendJson(
          res,
          action.status,
          {
            statusCode: action.status,
            error: reasonPhrase(action.status),
            message: `Injected fault: ${reasonPhrase(action.status)}`,
          },
          headers,
        );
      }
      return true;
    }
  }
}

/** Dispatches one request: faults → rate limit → bearer check → handler → error mapping. */
export async function handleRequest(
  context: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", `https://${context.domain}`);
  const path = url.pathname;
  const method = (req.method ?? "GET").toUpperCase();
  try {
    const candidates = ROUTES.filter((r) => r.pattern.test(path));
    const route = candidates.find((r) => r.method === method);
    context.stats.requests[route?.name ?? `${method} (unmatched)`] =
      (context.stats.requests[route?.name ?? `${method} (unmatched)`] ?? 0) + 1;

    if (!path.startsWith("/__control/")) {
      const fault = context.faults.take(method, path);
      if (fault && (await applyFault(fault, req, res, path))) return;
    }
    if (!route) {
      if (candidates.length > 0) throw new ApiError(405, "Method not allowed");
      throw new ApiError(404, "Not Found");
    }
    if (route.group) {
      const decision = context.rateLimiter.takeGroup(route.group);
      for (const [name, value] of Object.entries(rateLimitHeaders(decision))) res.setHeader(name, value);
      if (!decision.allowed) {
        context.stats.rateLimited[route.name] = (context.stats.rateLimited[route.name] ?? 0) + 1;
        sendRateLimited(res, decision, isAuthenticationApi(path));
        return;
      }
    }
    const match = route.pattern.exec(path);
    let params: string[];
    try {
      params = (match?.slice(1) ?? []).map((p) => decodeURIComponent(p));
    } catch {
      throw new ApiError(400, "Malformed URI", "invalid_uri");
    }
    const request: RouteRequest = { context, req, res, url, params, ip: clientIp(req) };
    if (route.scopes) request.claims = await requireManagementToken(context, req, route.scopes);
    await route.handler(request);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof OAuthError) {
      sendJson(res, error.statusCode, { error: error.error, error_description: error.description });
    } else if (error instanceof ApiError) {
      if (isAuthenticationApi(path))
        sendJson(res, error.statusCode, { error: "invalid_request", error_description: error.message });
      else sendApiError(res, error);
    } else {
      console.error("[tenant] unexpected error", method, path, error);
      sendApiError(res, new ApiError(500, "Internal Server Error"));
    }
  }
}
