import "server-only";

/**
 * lib/auth0: the only module that talks to Auth0 (official `auth0` SDK, server only).
 * Pages, route handlers and actions import from here; nothing else imports the SDK.
 */
export { createManagementApi, getManagementApi, managementApiConfigFromEnv } from "./client";
export type { CallOptions, ManagementApi, ManagementApiConfig, RunOptions } from "./client";
export { CONNECTIONS_TTL_MS, listConnections } from "./connections";
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
export { findUsersByEmail, getUser, isPlausibleUserId, listUserIdsMatching, searchUsers, userMatchesQuery } from "./users";
export { getUserBlocks, setUserBlocked, unblockUser } from "./user-blocks";
export type { UserBlock } from "./user-blocks";
export { buildUserLogQuery, listUserLogs, LOG_SCOPES } from "./logs";
export type { ListUserLogsParams, TenantLogEvent, UserLogPage } from "./logs";
export { signOutEverywhere } from "./sessions";
export type { SignOutResult } from "./sessions";
export { deleteAuthenticationMethod, deleteAuthenticationMethods, listAuthenticationMethods } from "./mfa";
export type { AuthenticationMethodSummary } from "./mfa";
export { sendVerificationEmail } from "./verification";
export type { VerificationEmailJob } from "./verification";
export {
  addOrganizationMembers,
  listOrganizationMembers,
  listOrganizations,
  listUserOrganizations,
} from "./organizations";
export type { OrganizationMember, OrganizationSummary } from "./organizations";
export { scopesFromMessage } from "./scopes";
export type { SearchUsersParams } from "./users";
export * from "./types";
