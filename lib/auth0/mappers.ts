import { z } from "zod";
import type {
  ConnectionSummary,
  ConnectionType,
  DatabaseIdentity,
  PasswordComplexity,
  PasswordPolicy,
  PasswordPolicyName,
  UserIdentity,
  UserProfile,
  UserSummary,
} from "./types";

/**
 * Pure mapping from Auth0's JSON to Passdesk's DTOs. Responses are parsed, not trusted: a user
 * without a `user_id` is a malformed response (mapped to "unavailable" by the caller), and
 * every optional field gets an explicit null so the UI never renders "undefined".
 */

const ENTERPRISE = new Set([
  "ad",
  "adfs",
  "auth0-adldap",
  "auth0-oidc",
  "custom",
  "google-apps",
  "ip",
  "office365",
  "oidc",
  "okta",
  "pingfederate",
  "samlp",
  "sharepoint",
  "waad",
]);
const PASSWORDLESS = new Set(["email", "sms"]);

/** Database = `auth0`; the enterprise and passwordless strategies are listed; the rest is social. */
export function classifyStrategy(strategy: string): ConnectionType {
  if (strategy === "auth0") return "database";
  if (ENTERPRISE.has(strategy)) return "enterprise";
  if (PASSWORDLESS.has(strategy)) return "passwordless";
  return "social";
}

/** Classifies an identity without the connection list: `provider` is the connection's strategy. */
export function classifyIdentity(identity: { provider: string; isSocial: boolean }): ConnectionType {
  if (identity.isSocial) return "social";
  return classifyStrategy(identity.provider);
}

const POLICY_NAMES: readonly PasswordPolicyName[] = ["none", "low", "fair", "good", "excellent"];

/** A list of strings, ignoring entries of another type (a malformed entry must not hide the rest). */
const stringList = z
  .array(z.unknown())
  .transform((items) => items.filter((item): item is string => typeof item === "string" && item !== ""));

const CHARACTER_TYPES = ["lowercase", "uppercase", "number", "special"] as const;

const complexitySchema = z
  .object({
    min_length: z.number().int().min(1).max(72).nullish(),
    character_types: z
      .array(z.unknown())
      .transform((items) =>
        items.filter((item): item is PasswordComplexity["characterTypes"][number] =>
          CHARACTER_TYPES.some((type) => type === item),
        ),
      )
      .nullish(),
    character_type_rule: z.enum(["all", "three_of_four"]).nullish().catch(null),
    identical_characters: z.enum(["allow", "block"]).nullish().catch(null),
    sequential_characters: z.enum(["allow", "block"]).nullish().catch(null),
    max_length_exceeded: z.enum(["truncate", "error"]).nullish().catch(null),
  })
  .passthrough();
const optionsSchema = z.object({
  passwordPolicy: z.string().nullish(),
  password_complexity_options: z
    .object({ min_length: z.number().int().positive().nullish() })
    .passthrough()
    .nullish(),
  password_history: z
    .object({ enable: z.boolean().nullish(), size: z.number().int().nullish() })
    .passthrough()
    .nullish(),
  password_dictionary: z
    .object({ enable: z.boolean().nullish(), dictionary: stringList.nullish().catch(null) })
    .passthrough()
    .nullish(),
  password_no_personal_info: z.object({ enable: z.boolean().nullish() }).passthrough().nullish(),
  // The newer format (Auth0 SDK `ConnectionPasswordOptions`); each part replaces its classic field.
  password_options: z
    .object({
      complexity: complexitySchema.nullish().catch(null),
      history: z
        .object({ active: z.boolean().nullish(), size: z.number().int().nullish() })
        .passthrough()
        .nullish()
        .catch(null),
      dictionary: z
        .object({ active: z.boolean().nullish(), custom: stringList.nullish().catch(null) })
        .passthrough()
        .nullish()
        .catch(null),
      profile_data: z
        .object({ active: z.boolean().nullish(), blocked_fields: stringList.nullish().catch(null) })
        .passthrough()
        .nullish()
        .catch(null),
    })
    .passthrough()
    .nullish()
    .catch(null),
});

function toComplexity(value: z.infer<typeof complexitySchema>): PasswordComplexity {
  return {
    minLength: value.min_length ?? null,
    characterTypes: value.character_types ?? [],
    characterTypeRule: value.character_type_rule ?? null,
    identicalCharacters: value.identical_characters ?? null,
    sequentialCharacters: value.sequential_characters ?? null,
    maxLengthExceeded: value.max_length_exceeded ?? null,
  };
}

/**
 * A database connection's password rules. Auth0 treats a missing `passwordPolicy` as "none"
 * on old tenants and "good" on new ones; we report what is stored, defaulting to "good"
 * (the stricter reading, so the form never promises a password Auth0 will reject). Where the
 * connection has `password_options`, each of its parts replaces the classic field it stands for.
 */
export function toPasswordPolicy(options: Record<string, unknown>): PasswordPolicy {
  const parsed = optionsSchema.safeParse(options);
  const value = parsed.success ? parsed.data : {};
  const name = value.passwordPolicy;
  const policy = POLICY_NAMES.find((candidate) => candidate === name) ?? "good";
  const modern = value.password_options ?? null;
  const history = modern?.history
    ? { enabled: modern.history.active === true, size: modern.history.size ?? 5 }
    : { enabled: value.password_history?.enable === true, size: value.password_history?.size ?? 5 };
  const dictionary = modern?.dictionary
    ? { enabled: modern.dictionary.active === true, words: modern.dictionary.custom ?? [] }
    : {
        enabled: value.password_dictionary?.enable === true,
        words: value.password_dictionary?.dictionary ?? [],
      };
  const noPersonalInfo = modern?.profile_data
    ? { enabled: modern.profile_data.active === true, blockedFields: modern.profile_data.blocked_fields ?? [] }
    : { enabled: value.password_no_personal_info?.enable === true, blockedFields: [] };
  return {
    policy,
    minLength: value.password_complexity_options?.min_length ?? null,
    complexity: modern?.complexity ? toComplexity(modern.complexity) : null,
    history,
    dictionary,
    noPersonalInfo,
  };
}

const identitySchema = z.object({
  connection: z.string(),
  provider: z.string(),
  user_id: z.union([z.string(), z.number()]).transform(String),
  isSocial: z.boolean().optional(),
});

const optionalString = z.string().nullish();

/** The fields of an Auth0 user Passdesk reads; anything else is ignored. */
export const auth0UserSchema = z.object({
  user_id: z.string().min(1),
  email: optionalString,
  email_verified: z.boolean().nullish(),
  username: optionalString,
  phone_number: optionalString,
  name: optionalString,
  nickname: optionalString,
  given_name: optionalString,
  family_name: optionalString,
  picture: optionalString,
  created_at: optionalString,
  updated_at: optionalString,
  last_login: optionalString,
  last_ip: optionalString,
  last_password_reset: optionalString,
  logins_count: z.number().nullish(),
  blocked: z.boolean().nullish(),
  identities: z.array(identitySchema).nullish(),
  multifactor: z.array(z.string()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
  user_metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type Auth0User = z.infer<typeof auth0UserSchema>;

/** Only http(s) pictures are rendered: a `javascript:` or `data:` URL from a profile is dropped. */
function safePicture(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}

function toIdentities(user: Auth0User): UserIdentity[] {
  return (user.identities ?? []).map((identity) => {
    const isSocial = identity.isSocial === true;
    return {
      connection: identity.connection,
      provider: identity.provider,
      userId: identity.user_id,
      isSocial,
      type: classifyIdentity({ provider: identity.provider, isSocial }),
    };
  });
}

/** Falls back from name to email to the id, as the Auth0 Dashboard does. */
function displayName(user: Auth0User): string {
  return user.name?.trim() || user.nickname?.trim() || user.email || user.user_id;
}

export function toUserSummary(user: Auth0User): UserSummary {
  const primary = toIdentities(user)[0];
  return {
    userId: user.user_id,
    name: displayName(user),
    email: user.email ?? null,
    emailVerified: user.email_verified === true,
    picture: safePicture(user.picture),
    connection: primary?.connection ?? null,
    // Root user_id is `provider|…`: a user without identities is still classifiable.
    connectionType: primary?.type ?? classifyStrategy(user.user_id.split("|")[0] ?? ""),
    loginsCount: user.logins_count ?? 0,
    lastLogin: user.last_login ?? null,
    blocked: user.blocked === true,
  };
}

/**
 * The profile DTO. `connections` (when readable) supplies the database connection's id and
 * password policy for the Danger Zone; without it those are null and the form falls back.
 */
export function toUserProfile(
  user: Auth0User,
  connections: readonly ConnectionSummary[] | null,
): UserProfile {
  const identities = toIdentities(user);
  const byName = new Map((connections ?? []).map((connection) => [connection.name, connection]));
  // With the connection list, its strategy is authoritative; the identity's provider is the fallback.
  const typed = identities.map((identity) => ({
    ...identity,
    type: byName.get(identity.connection)?.type ?? identity.type,
  }));
  const database = typed.find((identity) => identity.type === "database");
  const connection = database ? byName.get(database.connection) : undefined;
  const databaseIdentity: DatabaseIdentity | null = database
    ? {
        connection: database.connection,
        connectionId: connection?.id ?? null,
        strategy: "auth0",
        passwordPolicy: connection?.passwordPolicy ?? null,
      }
    : null;
  const summary = toUserSummary(user);
  return {
    ...summary,
    connectionType: typed[0]?.type ?? summary.connectionType,
    username: user.username ?? null,
    phoneNumber: user.phone_number ?? null,
    givenName: user.given_name ?? null,
    familyName: user.family_name ?? null,
    nickname: user.nickname ?? null,
    createdAt: user.created_at ?? null,
    updatedAt: user.updated_at ?? null,
    lastIp: user.last_ip ?? null,
    lastPasswordReset: user.last_password_reset ?? null,
    identities: typed,
    databaseIdentity,
    multifactor: user.multifactor ?? [],
    appMetadata: user.app_metadata ?? {},
    userMetadata: user.user_metadata ?? {},
  };
}
