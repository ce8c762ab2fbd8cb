import "server-only";

/**
 * lib/auth0: the only module that talks to Auth0 (official `auth0` SDK, server only).
 * Pages, route handlers and actions import from here; nothing else imports the SDK.
 */
export { createManagementApi, getManagementApi, managementApiConfigFromEnv } from "./client";
export type { CallOptions, ManagementApi, ManagementApiConfig, RunOptions } from "./client";
export { CONNECTIONS_TTL_MS, findConnectionByName, listConnections } from "./connections";
export {
  Auth0CredentialsError,
  Auth0Error,
  Auth0InvalidRequestError,
  Auth0MisconfiguredError,
  Auth0NotFoundError,
  Auth0RateLimitError,
  Auth0ScopeError,
  Auth0UnavailableError,
  toAuth0Error,
} from "./errors";
export { getUser, isPlausibleUserId, searchUsers } from "./users";
export type { SearchUsersParams } from "./users";
export * from "./types";
