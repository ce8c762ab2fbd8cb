/**
 * The small, serialisable shapes lib/auth0 hands to the rest of the app (pages, route handlers,
 * client components). Nothing here is an SDK type: the UI never depends on the SDK.
 */

/** How a connection authenticates users; only `database` users have a password Passdesk can set. */
export type ConnectionType = "database" | "social" | "enterprise" | "passwordless";

export type PasswordPolicyName = "none" | "low" | "fair" | "good" | "excellent";

/** `password_options.complexity` (the newer connection format), as Auth0's policy package reads it. */
export type PasswordComplexity = {
  minLength: number | null;
  characterTypes: ("lowercase" | "uppercase" | "number" | "special")[];
  characterTypeRule: "all" | "three_of_four" | null;
  identicalCharacters: "allow" | "block" | null;
  sequentialCharacters: "allow" | "block" | null;
  maxLengthExceeded: "truncate" | "error" | null;
};

/**
 * A database connection's password rules (Auth0 `options`), as the password form needs them.
 * Read from the classic fields (`passwordPolicy`, `password_history`, …) or, where the connection
 * has them, from the newer `password_options` (each of its parts replaces the classic one).
 */
export type PasswordPolicy = {
  policy: PasswordPolicyName;
  /** `password_complexity_options.min_length`, which overrides the preset's length. */
  minLength: number | null;
  /** `password_options.complexity`: when present, the strength rules come from it, not the preset. */
  complexity: PasswordComplexity | null;
  history: { enabled: boolean; size: number };
  /**
   * `words`: the connection's own forbidden passwords (checked in the browser too). When enabled,
   * Auth0 also checks its built-in list of common passwords, which only Auth0 has.
   */
  dictionary: { enabled: boolean; words: string[] };
  /** `blockedFields`: extra profile fields of `password_options.profile_data` (empty: the default set). */
  noPersonalInfo: { enabled: boolean; blockedFields: string[] };
};

export type ConnectionSummary = {
  id: string;
  name: string;
  displayName: string;
  strategy: string;
  type: ConnectionType;
  /** Present for database connections only. */
  passwordPolicy: PasswordPolicy | null;
};

/** One row of the users table. Dates are ISO-8601 strings. */
export type UserSummary = {
  userId: string;
  name: string;
  email: string | null;
  emailVerified: boolean;
  picture: string | null;
  /** Connection of the primary (first) identity. */
  connection: string | null;
  connectionType: ConnectionType;
  loginsCount: number;
  lastLogin: string | null;
  blocked: boolean;
};

export type UserIdentity = {
  connection: string;
  provider: string;
  /** The identity's id at its provider (no `provider|` prefix). */
  userId: string;
  isSocial: boolean;
  type: ConnectionType;
};

/** The identity whose password Passdesk can set, with its connection's rules. */
export type DatabaseIdentity = {
  connection: string;
  /** `con_…`; null when the connection list could not be read (missing read:connections). */
  connectionId: string | null;
  strategy: "auth0";
  passwordPolicy: PasswordPolicy | null;
};

export type UserProfile = UserSummary & {
  username: string | null;
  phoneNumber: string | null;
  givenName: string | null;
  familyName: string | null;
  nickname: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  lastIp: string | null;
  lastPasswordReset: string | null;
  identities: UserIdentity[];
  /** The first database identity, if any; null for social/enterprise-only users. */
  databaseIdentity: DatabaseIdentity | null;
  multifactor: string[];
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
};

/** Auth0 never returns more than this many results for one search. */
export const SEARCH_RESULT_CAP = 1_000;

export type UserSearchResult = {
  users: UserSummary[];
  /** Auth0's total, itself capped at SEARCH_RESULT_CAP. */
  total: number;
  /** 1-based. */
  page: number;
  perPage: number;
  /** True when the search matched at least the cap: more users may exist than can be paged. */
  isCapped: boolean;
};

/** Sortable columns, as Auth0 `sort` fields. */
export const SORT_FIELDS = [
  "name",
  "email",
  "user_id",
  "identities.connection",
  "logins_count",
  "last_login",
  "created_at",
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortDirection = 1 | -1;
export type UserSort = { field: SortField; direction: SortDirection };

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** Whether `page` (1-based) of `perPage` lies inside Auth0's first 1,000 results. */
export function isWithinSearchCap(page: number, perPage: number): boolean {
  return page * perPage <= SEARCH_RESULT_CAP;
}

/** The last page (1-based) Auth0 will serve for this page size. */
export function lastReachablePage(perPage: number): number {
  return Math.floor(SEARCH_RESULT_CAP / perPage);
}
