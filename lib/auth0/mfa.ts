import "server-only";
import { z } from "zod";
import { getManagementApi, type ManagementApi } from "./client";
import { Auth0NotFoundError, nullWhenNotFound, parseResponse } from "./errors";
import { runScoped } from "./scopes";
import { isPlausibleUserId } from "./users";

/** One enrolled MFA factor, as the "Reset MFA" panel shows it. */
export type AuthenticationMethodSummary = {
  id: string;
  /** Auth0's type: totp, phone, email, push, webauthn-roaming, passkey, recovery-code, … */
  type: string;
  confirmed: boolean;
  /** Auth0's display name, or the masked phone number / email when there is none. */
  name: string | null;
  createdAt: string | null;
  lastAuthAt: string | null;
  /** For phone factors: `sms` or `voice`. */
  preferredMethod: string | null;
};

const methodSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    confirmed: z.boolean().nullish(),
    name: z.string().nullish(),
    phone_number: z.string().nullish(),
    email: z.string().nullish(),
    created_at: z.string().nullish(),
    last_auth_at: z.string().nullish(),
    preferred_authentication_method: z.string().nullish(),
  })
  .passthrough();

const listSchema = z.object({ authenticators: z.array(z.unknown()) }).passthrough();

/** Auth0 serves at most 100 methods per page; a user never has nearly as many. */
const PER_PAGE = 100;

function toSummary(raw: unknown): AuthenticationMethodSummary {
  const m = parseResponse(methodSchema, raw, "an authentication method");
  return {
    id: m.id,
    type: m.type,
    confirmed: m.confirmed ?? false,
    name: m.name ?? null,
    createdAt: m.created_at ?? null,
    lastAuthAt: m.last_auth_at ?? null,
    preferredMethod: m.preferred_authentication_method ?? null,
  };
}

/**
 * The user's enrolled authentication methods (`GET /api/v2/users/{id}/authentication-methods`,
 * scope read:authentication_methods); null when the user does not exist.
 */
export async function listAuthenticationMethods(
  userId: string,
  api: ManagementApi = getManagementApi(),
): Promise<AuthenticationMethodSummary[] | null> {
  if (!isPlausibleUserId(userId)) return null;
  return nullWhenNotFound(
    runScoped(
      api,
      "users.authenticationMethods.list",
      ["read:authentication_methods"],
      async (client, options) => {
        const page = await client.users.authenticationMethods.list(
          userId,
          { page: 0, per_page: PER_PAGE, include_totals: true },
          options,
        );
        return page.response;
      },
      { idempotent: true },
    ).then((response) =>
      parseResponse(listSchema, response, "authentication methods").authenticators.map(toSummary),
    ),
  );
}

/**
 * Removes one factor (`DELETE …/authentication-methods/{id}`, scope delete:authentication_methods);
 * factors sharing its link_id go with it. Throws Auth0NotFoundError when the user or the method
 * does not exist (e.g. it was already removed).
 */
export async function deleteAuthenticationMethod(
  userId: string,
  methodId: string,
  api: ManagementApi = getManagementApi(),
): Promise<void> {
  if (!isPlausibleUserId(userId) || methodId === "" || methodId.length > 200)
    throw new Auth0NotFoundError("The authentication method does not exist.");
  await runScoped(
    api,
    "users.authenticationMethods.delete",
    ["delete:authentication_methods"],
    (client, options) => client.users.authenticationMethods.delete(userId, methodId, options),
    { idempotent: true },
  );
}

/**
 * Removes every factor of the user (`DELETE /api/v2/users/{id}/authentication-methods`), for
 * "I lost my phone": the user enrols again at the next login. Irreversible.
 */
export async function deleteAuthenticationMethods(
  userId: string,
  api: ManagementApi = getManagementApi(),
): Promise<void> {
  if (!isPlausibleUserId(userId)) throw new Auth0NotFoundError("The user does not exist.", "inexistent_user");
  await runScoped(
    api,
    "users.authenticationMethods.deleteAll",
    ["delete:authentication_methods"],
    (client, options) => client.users.authenticationMethods.deleteAll(userId, options),
    { idempotent: true },
  );
}
