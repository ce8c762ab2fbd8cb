import { clientIdOf } from "../auth/bearer.ts";
import { ApiError, readBody, sendJson } from "../http.ts";
import { redactBody, writeLog } from "../logs.ts";
import { payloadTypeError, rejectUnknownProperties } from "../query.ts";
import { createResetLink, resetLinkUrl } from "../reset-links.ts";
import type { RouteRequest } from "../router-types.ts";
import type { User } from "../types.ts";
import { isDatabaseConnection } from "../user-service.ts";

const TICKET_PROPERTIES = [
  "result_url",
  "user_id",
  "client_id",
  "organization_id",
  "connection_id",
  "email",
  "ttl_sec",
  "mark_email_as_verified",
  "includeEmailInRedirect",
  "identity",
] as const;

const DEFAULT_TTL_SEC = 432_000;

const USER_NOT_FOUND = (): ApiError => new ApiError(404, "User not found.", "inexistent_user");

/**
 * POST /api/v2/tickets/password-change — returns a reset link and sends nothing: whoever hands
 * the link out is responsible for verifying the person.
 */
export async function createPasswordChangeTicket(request: RouteRequest): Promise<void> {
  const { context, res } = request;
  const body = await readBody(request.req);
  rejectUnknownProperties(body, TICKET_PROPERTIES);
  for (const key of ["result_url", "user_id", "client_id", "organization_id", "connection_id", "email"]) {
    if (key in body && typeof body[key] !== "string") throw payloadTypeError(key, "string", body[key]);
  }
  for (const key of ["mark_email_as_verified", "includeEmailInRedirect"]) {
    if (key in body && typeof body[key] !== "boolean") throw payloadTypeError(key, "boolean", body[key]);
  }
  const ttl = body["ttl_sec"];
  if (ttl !== undefined && (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 0)) {
    throw new ApiError(
      400,
      "Payload validation error: 'Expected type integer' on property ttl_sec.",
      "invalid_body",
    );
  }
  if (typeof body["connection_id"] === "string" && !/^con_[A-Za-z0-9]{16}$/.test(body["connection_id"])) {
    throw new ApiError(
      400,
      `Payload validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$: ${body["connection_id"]}' on property connection_id.`,
      "invalid_body",
    );
  }
  if (typeof body["result_url"] === "string" && !/^https?:\/\//.test(body["result_url"])) {
    throw new ApiError(
      400,
      "Payload validation error: 'Object didn't pass validation for format absolute-uri-or-empty' on property result_url.",
      "invalid_body",
    );
  }
  const identity = body["identity"];
  let identityUserId: string | undefined;
  if (identity !== undefined) {
    if (typeof identity !== "object" || identity === null)
      throw payloadTypeError("identity", "object", identity);
    const { user_id: rawId, provider } = identity as Record<string, unknown>;
    if (typeof rawId !== "string" || typeof provider !== "string")
      throw new ApiError(
        400,
        "Payload validation error: 'Missing required property: user_id' on property identity.",
        "invalid_body",
      );
    identityUserId = `${provider}|${rawId}`;
  }

  let user: User | undefined;
  const userId = typeof body["user_id"] === "string" ? body["user_id"] : identityUserId;
  const email = typeof body["email"] === "string" ? body["email"] : undefined;
  const connectionId = typeof body["connection_id"] === "string" ? body["connection_id"] : undefined;
  if (userId !== undefined) {
    if (email !== undefined)
      throw new ApiError(
        400,
        "Payload validation error: 'user_id' and 'email' cannot be used together.",
        "invalid_body",
      );
    user = context.store.users.get(userId);
    if (!user) throw USER_NOT_FOUND();
  } else if (email !== undefined && connectionId !== undefined) {
    const connection = context.store.connectionById(connectionId);
    if (!connection) throw new ApiError(404, "The connection does not exist", "inexistent_connection");
    user = context.store.findInConnection(email, connection.name);
    if (!user) throw USER_NOT_FOUND();
  } else {
    throw new ApiError(
      400,
      "Payload validation error: 'Missing required property: user_id' (or 'email' and 'connection_id').",
      "invalid_body",
    );
  }
  const connectionName = connectionId
    ? context.store.connectionById(connectionId)?.name
    : user.identities[0]?.connection;
  const connection = connectionName ? context.store.connectionByName(connectionName) : undefined;
  if (!isDatabaseConnection(connection) || !user.identities.some((i) => i.connection === connection.name)) {
    throw new ApiError(
      400,
      "The user does not have a database connection; password change tickets only apply to database users.",
      "operation_not_supported",
    );
  }
  const link = createResetLink(
    context,
    {
      kind: "ticket",
      user_id: user.user_id,
      connection: connection.name,
      mark_email_as_verified: body["mark_email_as_verified"] === true,
      include_email_in_redirect: body["includeEmailInRedirect"] === true,
      ...(typeof body["result_url"] === "string" ? { result_url: body["result_url"] } : {}),
      ...(typeof body["client_id"] === "string" ? { client_id: body["client_id"] } : {}),
      ...(typeof body["organization_id"] === "string" ? { organization_id: body["organization_id"] } : {}),
    },
    typeof ttl === "number" && ttl > 0 ? ttl : DEFAULT_TTL_SEC,
  );
  const clientId = request.claims ? clientIdOf(request.claims) : undefined;
  writeLog(context, {
    type: "sapi",
    description: "Create a password change ticket",
    ip: request.ip,
    ...(clientId === undefined ? {} : { client_id: clientId }),
    details: {
      request: { method: "post", path: request.url.pathname, body: redactBody(body) },
      response: { statusCode: 201 },
    },
  });
  sendJson(res, 201, { ticket: resetLinkUrl(context, link.id) });
}
