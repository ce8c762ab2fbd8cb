import type { IncomingMessage } from "node:http";
import { errors, type JWTPayload } from "jose";
import { issuerOf, managementAudienceOf, type TenantContext } from "../context.ts";
import { ApiError } from "../http.ts";

export type ManagementClaims = JWTPayload & { scope: string; gty?: string; azp?: string };

function unauthorized(message: string): ApiError {
  return new ApiError(401, message, undefined, { attributes: { error: message } });
}

/**
 * Validates a Management API bearer token and its scopes, with Auth0's 401/403 bodies.
 * `anyOf` lists the scopes of which at least one is needed.
 */
export async function requireManagementToken(
  context: TenantContext,
  req: IncomingMessage,
  anyOf: readonly string[],
): Promise<ManagementClaims> {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized("Missing authentication");
  let payload: JWTPayload;
  try {
    payload = await context.keys.verify(match[1], {
      issuer: issuerOf(context),
      audience: managementAudienceOf(context),
    });
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      throw unauthorized("Expired token received for JSON Web Token validation");
    throw unauthorized("Invalid token");
  }
  const scopes = (typeof payload["scope"] === "string" ? payload["scope"].split(" ") : []).filter(
    (scope) => !context.withheldScopes.has(scope),
  );
  if (!anyOf.some((scope) => scopes.includes(scope))) {
    throw new ApiError(403, `Insufficient scope, expected any of: ${anyOf.join(",")}`, "insufficient_scope");
  }
  return { ...payload, scope: scopes.join(" ") };
}

/** The client a Management API token was issued to (`sub` is `<client_id>@clients`). */
export function clientIdOf(claims: ManagementClaims): string | undefined {
  if (typeof claims.azp === "string") return claims.azp;
  return claims.sub?.replace(/@clients$/, "");
}
