import { ApiError, sendJson } from "../http.ts";
import { booleanParam, integerParam } from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import { refreshTokenJson, sessionJson } from "../sessions.ts";
import { getUserOr404 } from "../user-service.ts";
import { apiLog } from "./api-log.ts";

/**
 * Checkpoint paging of the session and refresh-token lists: `from` is the id to start at
 * (inclusive), `take` 1–100 (default 50); `next` is the id the following page starts at and is
 * absent on the last page (exact cursor semantics unconfirmed).
 */
function checkpoint<T extends { id: string }>(url: URL, items: T[]): { page: T[]; next?: string } {
  const take = integerParam(url, "take", { min: 1, max: 100, fallback: 50 });
  booleanParam(url, "include_totals", true);
  const from = url.searchParams.get("from");
  const start = from
    ? Math.max(
        0,
        items.findIndex((item) => item.id === from),
      )
    : 0;
  const page = from && !items.some((item) => item.id === from) ? [] : items.slice(start, start + take);
  const following = items[start + take];
  return following && page.length > 0 ? { page, next: following.id } : { page };
}

function accepted(request: RouteRequest, description: string): void {
  apiLog(request, description, {}, 202);
  request.res.writeHead(202);
  request.res.end();
}

const SESSION_NOT_FOUND = (): ApiError =>
  new ApiError(404, "The session does not exist.", "inexistent_session");
const TOKEN_NOT_FOUND = (): ApiError =>
  new ApiError(404, "The refresh token does not exist.", "inexistent_refresh_token");

/** GET /api/v2/users/{id}/sessions → `{sessions, next?}` */
export async function listUserSessions({ context, res, url, params }: RouteRequest): Promise<void> {
  const user = getUserOr404(context, params[0] ?? "");
  const { page, next } = checkpoint(url, context.sessions.sessionsOf(user.user_id));
  sendJson(res, 200, { sessions: page.map(sessionJson), ...(next ? { next } : {}) });
}

/** DELETE /api/v2/users/{id}/sessions → 202 (Auth0 runs it asynchronously; here it is done at once). */
export async function deleteUserSessions(request: RouteRequest): Promise<void> {
  const user = getUserOr404(request.context, request.params[0] ?? "");
  request.context.sessions.endSessions(user.user_id);
  accepted(request, "Delete sessions for a user");
}

/** GET /api/v2/sessions/{id} */
export async function getSession({ context, res, params }: RouteRequest): Promise<void> {
  const session = context.sessions.get(params[0] ?? "");
  if (!session) throw SESSION_NOT_FOUND();
  sendJson(res, 200, sessionJson(session));
}

/** DELETE /api/v2/sessions/{id} → 202; the session's refresh tokens stay valid (revoke ends both). */
export async function deleteSession(request: RouteRequest): Promise<void> {
  if (!request.context.sessions.deleteSession(request.params[0] ?? "")) throw SESSION_NOT_FOUND();
  accepted(request, "Delete a session");
}

/** GET /api/v2/users/{id}/refresh-tokens → `{tokens, next?}` */
export async function listUserRefreshTokens({ context, res, url, params }: RouteRequest): Promise<void> {
  const user = getUserOr404(context, params[0] ?? "");
  const { page, next } = checkpoint(url, context.sessions.refreshTokensOf(user.user_id));
  sendJson(res, 200, { tokens: page.map(refreshTokenJson), ...(next ? { next } : {}) });
}

/** DELETE /api/v2/users/{id}/refresh-tokens → 202 */
export async function deleteUserRefreshTokens(request: RouteRequest): Promise<void> {
  const user = getUserOr404(request.context, request.params[0] ?? "");
  request.context.sessions.revokeRefreshTokens(user.user_id);
  accepted(request, "Delete refresh tokens for a user");
}

/** GET /api/v2/refresh-tokens/{id} */
export async function getRefreshToken({ context, res, params }: RouteRequest): Promise<void> {
  const token = context.sessions.refreshToken(params[0] ?? "");
  if (!token) throw TOKEN_NOT_FOUND();
  sendJson(res, 200, refreshTokenJson(token));
}

/** DELETE /api/v2/refresh-tokens/{id} → 202 */
export async function deleteRefreshToken(request: RouteRequest): Promise<void> {
  if (!request.context.sessions.deleteRefreshToken(request.params[0] ?? "")) throw TOKEN_NOT_FOUND();
  accepted(request, "Delete a refresh token");
}
