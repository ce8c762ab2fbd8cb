import { ApiError, sendJson } from "../http.ts";
import { booleanParam, integerParam } from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import { getUserOr404 } from "../user-service.ts";
import { apiLog } from "./api-log.ts";

/** 404 text for an unknown authentication method (unconfirmed). */
const METHOD_NOT_FOUND = (): ApiError =>
  new ApiError(404, "Authentication method not found", "inexistent_authentication_method");

/** GET /api/v2/users/{id}/authentication-methods — array, or `{start,limit,total,authenticators}`. */
export async function listAuthenticationMethods({ context, res, url, params }: RouteRequest): Promise<void> {
  const user = getUserOr404(context, params[0] ?? "");
  const perPage = integerParam(url, "per_page", { min: 0, max: 100, fallback: 50 });
  const page = integerParam(url, "page", { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
  const all = context.store.authenticationMethods.get(user.user_id) ?? [];
  const start = page * perPage;
  const authenticators = all.slice(start, start + perPage);
  if (booleanParam(url, "include_totals", false))
    sendJson(res, 200, { start, limit: perPage, total: all.length, authenticators });
  else sendJson(res, 200, authenticators);
}

/** GET /api/v2/users/{id}/authentication-methods/{method} */
export async function getAuthenticationMethod({ context, res, params }: RouteRequest): Promise<void> {
  const user = getUserOr404(context, params[0] ?? "");
  const method = (context.store.authenticationMethods.get(user.user_id) ?? []).find(
    (m) => m.id === params[1],
  );
  if (!method) throw METHOD_NOT_FOUND();
  sendJson(res, 200, method);
}

/** DELETE /api/v2/users/{id}/authentication-methods → 204; every factor goes, irreversibly. */
export async function deleteAuthenticationMethods(request: RouteRequest): Promise<void> {
  const user = getUserOr404(request.context, request.params[0] ?? "");
  request.context.store.setAuthenticationMethods(user.user_id, []);
  apiLog(request, "Delete all authentication methods of a user", {}, 204);
  request.res.writeHead(204);
  request.res.end();
}

/** DELETE /api/v2/users/{id}/authentication-methods/{method} → 204; methods sharing its link_id go too. */
export async function deleteAuthenticationMethod(request: RouteRequest): Promise<void> {
  const { context, params } = request;
  const user = getUserOr404(context, params[0] ?? "");
  const all = context.store.authenticationMethods.get(user.user_id) ?? [];
  const method = all.find((m) => m.id === params[1]);
  if (!method) throw METHOD_NOT_FOUND();
  const gone = (m: (typeof all)[number]): boolean =>
    m.id === method.id || (method.link_id !== undefined && m.link_id === method.link_id);
  context.store.setAuthenticationMethods(
    user.user_id,
    all.filter((m) => !gone(m)),
  );
  apiLog(request, "Delete an authentication method of a user", {}, 204);
  request.res.writeHead(204);
  request.res.end();
}
