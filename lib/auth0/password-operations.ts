import "server-only";
import { AuthApiError, AuthenticationClient, ResponseError, TimeoutError } from "auth0/legacy";
import {
  createAuth0Transport,
  getManagementApi,
  managementApiConfigFromEnv,
  type Auth0Transport,
  type ManagementApi,
  type ManagementApiConfig,
} from "./client";
import {
  Auth0CredentialsError,
  Auth0InvalidRequestError,
  Auth0MisconfiguredError,
  Auth0RateLimitError,
  Auth0ScopeError,
  Auth0UnavailableError,
  malformedResponse,
  retryAtFromHeaders,
  toAuth0Error,
  type Auth0Error,
} from "./errors";
import { recordAuth0Outcome } from "./health";

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
    throw malformedResponse("a ticket", 201);
  }
  return { ticketUrl: ticket };
}

/** The reset email's operation name in logs and in Auth0's health record. */
const RESET_EMAIL_OPERATION = "dbconnections.change_password";

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
  // A success status we could not read (a garbled body): Auth0 probably sent the email.
  if (status >= 200 && status < 300)
    return new Auth0UnavailableError("Auth0 sent an answer Passdesk could not read.", status, "malformed_response");
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
 * Builds the Authentication API client for a configuration. It shares the Management API client's
 * HTTP transport (lib/auth0/client.ts: the same CA, timeout and connection pool) when given one;
 * the two APIs share nothing else (no token, separate rate limits).
 */
export function createAuthenticationApi(
  config: ManagementApiConfig,
  sharedTransport?: Auth0Transport,
): AuthenticationApi {
  const transport = sharedTransport ?? createAuth0Transport(config);

  return {
    domain: config.domain,
    async sendPasswordResetEmail(input) {
      try {
        transport.ensureReady();
        const client = new AuthenticationClient({
          domain: config.domain,
          clientId: input.clientId,
          fetch: transport.fetch,
          timeoutDuration: config.timeoutMs,
          telemetry: false,
        });
        await client.database.changePassword({ email: input.email, connection: input.connection });
        recordAuth0Outcome(RESET_EMAIL_OPERATION);
      } catch (raw) {
        const mapped = toAuthenticationApiError(raw);
        // Every Auth0 tenant has this endpoint: a 404 means AUTH0_DOMAIN is not an Auth0 tenant.
        const error =
          mapped.status === 404 ? new Auth0MisconfiguredError(RESET_EMAIL_OPERATION, config.domain, mapped.errorCode) : mapped;
        recordAuth0Outcome(RESET_EMAIL_OPERATION, error);
        await transport.resetAfterTlsFailure(error);
        throw error;
      }
    },
    async close() {
      // A shared transport belongs to the Management API client, which closes it.
      if (!sharedTransport) await transport.close();
    },
  };
}

const holder = globalThis as typeof globalThis & { __passdeskAuthenticationApi?: AuthenticationApi };

/** The process-wide Authentication API client. */
export function getAuthenticationApi(): AuthenticationApi {
  holder.__passdeskAuthenticationApi ??= createAuthenticationApi(
    managementApiConfigFromEnv(),
    getManagementApi().transport,
  );
  return holder.__passdeskAuthenticationApi;
}
