import { ApiError, sendJson } from "../http.ts";
import { booleanParam } from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import { apiLog } from "./api-log.ts";

/** Message of GET/DELETE /api/v2/user-blocks/{id} for an unknown user [OAS]; errorCode unconfirmed. */
const USER_NOT_FOUND = (): ApiError => new ApiError(404, "User not found", "inexistent_user");

function identifierParam(url: URL): string {
  const identifier = url.searchParams.get("identifier");
  if (identifier === null || identifier === "")
    throw new ApiError(
      400,
      "Query validation error: 'Missing required property: identifier'.",
      "invalid_query_string",
    );
  return identifier;
}

/** GET /api/v2/user-blocks?identifier= */
export async function listUserBlocksByIdentifier({ context, res, url }: RouteRequest): Promise<void> {
  const identifier = identifierParam(url);
  booleanParam(url, "consider_brute_force_enablement", false);
  sendJson(res, 200, {
    blocked_for: context.bruteForce.blocksByIdentifier(identifier, context.store.users, context.clock.now()),
  });
}

/** DELETE /api/v2/user-blocks?identifier= — does not touch an admin block (`blocked:true`). */
export async function deleteUserBlocksByIdentifier(request: RouteRequest): Promise<void> {
  const identifier = identifierParam(request.url);
  request.context.bruteForce.clearIdentifier(identifier, request.context.store.users);
  apiLog(request, "Unblock a User by identifier", {}, 204);
  request.res.writeHead(204);
  request.res.end();
}

/** GET /api/v2/user-blocks/{id} */
export async function listUserBlocks({ context, res, url, params }: RouteRequest): Promise<void> {
  const id = params[0] ?? "";
  booleanParam(url, "consider_brute_force_enablement", false);
  if (!context.store.users.has(id)) throw USER_NOT_FOUND();
  sendJson(res, 200, { blocked_for: context.bruteForce.blocksOf(id, context.clock.now()) });
}

/** DELETE /api/v2/user-blocks/{id} */
export async function deleteUserBlocks(request: RouteRequest): Promise<void> {
  const id = request.params[0] ?? "";
  if (!request.context.store.users.has(id)) throw USER_NOT_FOUND();
  request.context.bruteForce.clearUser(id);
  apiLog(request, "Unblock a User", {}, 204);
  request.res.writeHead(204);
  request.res.end();
}
