import { clientIdOf } from "../auth/bearer.ts";
import type { JsonObject } from "../http.ts";
import { redactBody, writeLog } from "../logs.ts";
import type { RouteRequest } from "../router-types.ts";

/** An `sapi` log for a Management API write (POST, PATCH, PUT, DELETE), as users.ts writes them. */
export function apiLog(
  request: RouteRequest,
  description: string,
  body: JsonObject,
  statusCode: number,
): void {
  const clientId = request.claims ? clientIdOf(request.claims) : undefined;
  writeLog(request.context, {
    type: "sapi",
    description,
    ip: request.ip,
    ...(clientId === undefined ? {} : { client_id: clientId }),
    details: {
      request: {
        method: request.req.method?.toLowerCase(),
        path: request.url.pathname,
        query: Object.fromEntries(request.url.searchParams),
        body: redactBody(body),
        auth: { strategy: "jwt", credentials: { scopes: request.claims?.scope.split(" ") ?? [] } },
      },
      response: { statusCode },
    },
  });
}
