/** Shapes of the tenant's state, as Auth0 returns them (snake_case on purpose). */

export type Identity = {
  connection: string;
  /** Without the provider prefix, as Auth0 returns it. */
  user_id: string;
  provider: string;
  isSocial: boolean;
  profileData?: Record<string, unknown>;
};

/** A user exactly as the Management API returns it (no secrets). */
export type User = {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  username?: string;
  phone_number?: string;
  created_at: string;
  updated_at: string;
  identities: Identity[];
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  picture: string;
  name: string;
  nickname: string;
  given_name?: string;
  family_name?: string;
  last_ip?: string;
  last_login?: string;
  last_password_reset?: string;
  logins_count?: number;
  blocked?: boolean;
  multifactor?: string[];
};

/** Secrets kept beside a user, never returned by any API. */
export type UserSecret = {
  /** scrypt hash of the current password (database users only). */
  passwordHash?: string;
  /** Hashes of previous passwords, newest first, current included (for password history). */
  passwordHistory: string[];
  /** Tokens issued before this instant (epoch ms) are no longer accepted (session revocation). */
  sessionsValidAfter: number;
};

export type PasswordPolicyName = "none" | "low" | "fair" | "good" | "excellent";

export type PasswordOptions = {
  complexity?: {
    min_length?: number;
    character_types?: ("uppercase" | "lowercase" | "number" | "special")[];
    character_type_rule?: "all" | "three_of_four";
    identical_characters?: "allow" | "block";
    sequential_characters?: "allow" | "block";
    max_length_exceeded?: "truncate" | "error";
  };
  dictionary?: { active?: boolean; custom?: string[]; default?: "en_10k" | "en_100k" };
  history?: { active?: boolean; size?: number };
  profile_data?: { active?: boolean; blocked_fields?: string[] };
};

export type ConnectionOptions = {
  passwordPolicy?: PasswordPolicyName;
  password_complexity_options?: { min_length?: number };
  password_history?: { enable: boolean; size: number };
  password_dictionary?: { enable: boolean; dictionary: string[] };
  password_no_personal_info?: { enable: boolean };
  /**
   * The newer format (Auth0 SDK `ConnectionPasswordOptions`): where a part is present it replaces
   * the classic field it stands for (`complexity` the preset and min_length, and so on).
   */
  password_options?: PasswordOptions;
  brute_force_protection?: boolean;
  [key: string]: unknown;
};

export type Connection = {
  id: string;
  name: string;
  display_name: string;
  strategy: string;
  options: ConnectionOptions;
  enabled_clients: string[];
  is_domain_connection: boolean;
  realms: string[];
};

export type Client = {
  client_id: string;
  name: string;
  /** Absent for a client that cannot use client_credentials. */
  client_secret?: string;
  /** Management API scopes granted through client_credentials. */
  scopes: string[];
  /**
   * Allowed Callback URLs of an application that signs users in through `/authorize`. Besides
   * exact URLs, the local tenant accepts `*` as the port of a loopback URL
   * (`http://localhost:*\/api/auth/callback/oidc`), so a demo on any port works.
   */
  callbacks?: string[];
  /** "regular_web" (confidential: authenticates at /oauth/token) or "spa" (public: PKCE S256 required). */
  app_type?: "regular_web" | "spa";
  /** Database connections the hosted login page offers this application, the first by default. */
  login_connections?: string[];
};

export type ResetLinkKind = "ticket" | "email";

export type ResetLink = {
  id: string;
  kind: ResetLinkKind;
  user_id: string;
  connection: string;
  client_id?: string;
  organization_id?: string;
  result_url?: string;
  mark_email_as_verified: boolean;
  include_email_in_redirect: boolean;
  created_at: number;
  expires_at: number;
  used_at?: number;
};

export type OutboxMessage = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  resetLink?: string;
  /** The link of a verification email (POST /api/v2/jobs/verification-email). */
  verificationLink?: string;
  sentAt: string;
};

export type LogEvent = {
  log_id: string;
  date: string;
  type: string;
  description: string;
  client_id?: string;
  client_name?: string;
  ip?: string;
  user_agent?: string;
  user_id?: string;
  user_name?: string;
  connection?: string;
  connection_id?: string;
  strategy?: string;
  strategy_type?: string;
  details?: Record<string, unknown>;
};

export type TenantSettings = {
  /** URL Lifetime of the reset-email template, seconds. */
  resetLinkLifetimeSec: number;
};
