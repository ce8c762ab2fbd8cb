import type { IncomingMessage, ServerResponse } from "node:http";
import type { TenantContext } from "../context.ts";
import { clientIp, OAuthError, readOAuthBody, sendText } from "../http.ts";
import { writeLog } from "../logs.ts";
import { sendResetEmail } from "../outbox.ts";
import { AUTHENTICATION_429_BODY, rateLimitHeaders } from "../rate-limit.ts";
import { createResetLink, resetLinkUrl } from "../reset-links.ts";
import { isDatabaseConnection } from "../user-service.ts";
import { sendJson } from "../http.ts";

export const CHANGE_PASSWORD_RESPONSE = "We've just sent you an email to reset your password.";

/**
 * POST /dbconnections/change_password — the same 200 text whether or not the email exists, so
 * the endpoint cannot be used to discover accounts.
 */
export async function handleChangePassword(
  context: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readOAuthBody(req);
  if ("password" in body)
    throw new OAuthError(400, "invalid_request", "password is not allowed in this request");
  const { client_id: clientId, email, connection: connectionName } = body;
  if (typeof email !== "string" || email === "")
    throw new OAuthError(400, "invalid_request", "Missing required parameter: email");
  if (typeof connectionName !== "string" || connectionName === "")
    throw new OAuthError(400, "invalid_request", "Missing required parameter: connection");
  const client = typeof clientId === "string" ? context.store.clients.get(clientId) : undefined;
  if (!client) throw new OAuthError(400, "invalid_request", "Missing or unknown client_id");

  const ip = clientIp(req);
  const decision = context.rateLimiter.takeChangePassword(ip, email);
  for (const [name, value] of Object.entries(rateLimitHeaders(decision))) res.setHeader(name, value);
  if (!decision.allowed) {
    sendJson(res, 429, AUTHENTICATION_429_BODY, { "Retry-After": String(decision.retryAfter) });
    return;
  }

  const connection = context.store.connectionByName(connectionName);
  if (!isDatabaseConnection(connection))
    throw new OAuthError(400, "invalid_request", "connection not found or not a database connection");

  const user = context.store.findInConnection(email, connection.name);
  if (!user) {
    writeLog(context, {
      type: "fcpr",
      description: "The user does not exist.",
      client_id: client.client_id,
      ip,
      user_name: email,
      connection: connection.name,
      connection_id: connection.id,
    });
    sendText(res, 200, CHANGE_PASSWORD_RESPONSE);
    return;
  }
  const lifetime = context.store.settings.resetLinkLifetimeSec;
  const link = createResetLink(
    context,
    {
      kind: "email",
      user_id: user.user_id,
      connection: connection.name,
      client_id: client.client_id,
      mark_email_as_verified: true,
      include_email_in_redirect: false,
    },
    lifetime,
  );
  sendResetEmail(context, user, client.name, resetLinkUrl(context, link.id), lifetime);
  writeLog(context, {
    type: "scpr",
    description: "Sent a change password email",
    client_id: client.client_id,
    ip,
    user_id: user.user_id,
    ...(user.email === undefined ? {} : { user_name: user.email }),
    connection: connection.name,
    connection_id: connection.id,
  });
  sendText(res, 200, CHANGE_PASSWORD_RESPONSE);
}
