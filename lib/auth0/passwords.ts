import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { AuthApiError, AuthenticationClient, ResponseError, TimeoutError } from "auth0/legacy";
import { Agent, fetch as undiciFetch } from "undici";
import {
  getManagementApi,
  managementApiConfigFromEnv,
  type ManagementApi,
  type ManagementApiConfig,
} from "./client";
import {
  Auth0CredentialsError,
  Auth0InvalidRequestError,
  Auth0RateLimitError,
  Auth0ScopeError,
  Auth0UnavailableError,
  retryAtFromHeaders,
  toAuth0Error,
  type Auth0Error,
} from "./errors";

/**
 * The three password operations of the Danger Zone. None of them is retried: each one changes
 * state at Auth0 (a password, a mailed link, a ticket that invalidates earlier links), and a
 * retry after a lost response could do it twice. Nothing here logs or throws the password.
 */

export type SetUserPasswordResult = {
  /** Auth0's `last_password_reset` after the change (ISO), when it sent one. */
  lastPasswordReset: string | null;
};

/** PATCH /api/v2/users/{id} with `{password, connection}`. */
export async function setUserPassword(
  userId: string,
  password: string,
  connection: string,
  api: ManagementApi = getManagementApi(),
): Promise<SetUserPasswordResult> {
  const user = await api.run("users.set_password", (client, options) =>
    client.users.update(userId, { password, connection }, options),
  );
  const lastPasswordReset = (user as { last_password_reset?: unknown }).last_password_reset;
  return { lastPasswordReset: typeof lastPasswordReset === "string" ? lastPasswordReset : null };
}

export type PasswordChangeTicketInput = {
  userId: string;
  ttlSec: number;
  markEmailAsVerified: boolean;
  resultUrl?: string | undefined;
  /** Application whose settings the reset page uses. Auth0 refuses it together with result_url. */
  clientId?: string | undefined;
  /**
   * For a user whose database identity is not the primary one: Auth0 then needs the email and the
   * database connection's id instead of the user id.
   */
  byEmail?: { email: string; connectionId: string } | undefined;
};

/** POST /api/v2/tickets/password-change. Returns the single-use link; callers must not store it. */
export async function createPasswordChangeTicket(
  input: PasswordChangeTicketInput,
  api: ManagementApi = getManagementApi(),
): Promise<{ ticketUrl: string }> {
  const response = await api.run("tickets.change_password", (client, options) =>
    client.tickets.changePassword(
      {
        ...(input.byEmail
          ? { email: input.byEmail.email, connection_id: input.byEmail.connectionId }
          : { user_id: input.userId }),
        ttl_sec: input.ttlSec,
        mark_email_as_verified: input.markEmailAsVerified,
        ...(input.resultUrl
          ? { result_url: input.resultUrl }
          : input.clientId
            ? { client_id: input.clientId }
            : {}),
      },
      options,
    ),
  );
  const ticket = (response as { ticket?: unknown }).ticket;
  if (typeof ticket !== "string" || !/^https:\/\//.test(ticket)) {
    throw new Auth0UnavailableError(
      "Auth0 returned a ticket Passdesk cannot read.",
      201,
      "malformed_response",
    );
  }
  return { ticketUrl: ticket };
}

export type PasswordResetEmailInput = { email: string; connection: string; clientId: string };

/** The Authentication API: no Management token, its own client and rate limits. */
export type AuthenticationApi = {
  readonly domain: string;
  /** POST /dbconnections/change_password. Auth0 answers 200 whether or not the email exists. */
  sendPasswordResetEmail(input: PasswordResetEmailInput): Promise<void>;
  close(): Promise<void>;
};

function headerSource(headers: unknown): { get(name: string): string | null } | undefined {
  return typeof headers === "object" && headers !== null && typeof (headers as Headers).get === "function"
    ? (headers as Headers)
    : undefined;
}

/** Maps what the legacy Authentication client throws to the same typed errors as the Management API. */
export function toAuthenticationApiError(error: unknown): Auth0Error {
  if (error instanceof TimeoutError)
    return new Auth0UnavailableError("Auth0 did not answer in time.", 0, "timeout");
  let status: number | undefined;
  let errorCode: string | undefined;
  let message: string | undefined;
  let headers: { get(name: string): string | null } | undefined;
  if (error instanceof AuthApiError) {
    status = error.statusCode;
    errorCode = typeof error.error === "string" && error.error !== "" ? error.error : undefined;
    message =
      typeof error.error_description === "string" && error.error_description !== ""
        ? error.error_description
        : undefined;
    headers = headerSource(error.headers);
  } else if (error instanceof ResponseError) {
    status = error.statusCode;
    headers = headerSource(error.headers);
  }
  if (status === undefined) return toAuth0Error(error);
  if (status === 429) return new Auth0RateLimitError(retryAtFromHeaders(headers), errorCode);
  if (status === 401) return new Auth0CredentialsError(undefined, errorCode);
  if (status === 403) return new Auth0ScopeError(message?.slice(0, 500), errorCode);
  if (status === 408 || status >= 500)
    return new Auth0UnavailableError(`Auth0 answered with an error (${status}).`, status, errorCode);
  return new Auth0InvalidRequestError(
    (message ?? `Auth0 rejected the request (${status}).`).slice(0, 500),
    errorCode,
    status,
  );
}

/**
 * Builds the Authentication API client for a configuration. It trusts the same extra CA and uses
 * the same timeout as the Management API client (lib/auth0/client.ts), with its own connection
 * pool: the two APIs share nothing else (no token, separate rate limits).
 */
export function createAuthenticationApi(config: ManagementApiConfig): AuthenticationApi {
  let agent: Agent | undefined;

  function dispatcher(): Agent {
    if (agent) return agent;
    let ca: string | undefined = config.caPem;
    if (ca === undefined && config.caFile !== undefined) {
      if (!existsSync(config.caFile)) {
        throw new Auth0UnavailableError(
          "The CA certificate for the Auth0 domain is not available yet (is the local tenant running?).",
          0,
          "ca_missing",
        );
      }
      ca = readFileSync(config.caFile, "utf8");
    }
    agent = new Agent({
      connect: { timeout: config.timeoutMs, ...(ca === undefined ? {} : { ca }) },
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
    });
    return agent;
  }

  // Same boundary cast as lib/auth0/client.ts: undici's fetch is the DOM fetch with its own types.
  const customFetch = ((input: string | URL, init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher: dispatcher() })) as unknown as typeof fetch;

  return {
    domain: config.domain,
    async sendPasswordResetEmail(input) {
      try {
        const client = new AuthenticationClient({
          domain: config.domain,
          clientId: input.clientId,
          fetch: customFetch,
          timeoutDuration: config.timeoutMs,
          telemetry: false,
        });
        await client.database.changePassword({ email: input.email, connection: input.connection });
      } catch (raw) {
        const error = toAuthenticationApiError(raw);
        // A new local tenant means a new CA: read it again on the next call.
        if (
          error instanceof Auth0UnavailableError &&
          /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(error.errorCode ?? "") &&
          agent
        ) {
          const stale = agent;
          agent = undefined;
          await stale.close().catch(() => undefined);
        }
        throw error;
      }
    },
    async close() {
      const current = agent;
      agent = undefined;
      await current?.close();
    },
  };
}

const holder = globalThis as typeof globalThis & { __passdeskAuthenticationApi?: AuthenticationApi };

/** The process-wide Authentication API client. */
export function getAuthenticationApi(): AuthenticationApi {
  holder.__passdeskAuthenticationApi ??= createAuthenticationApi(managementApiConfigFromEnv());
  return holder.__passdeskAuthenticationApi;
}
