import { describe, expect, it } from "vitest";
import { auth0UserSchema, classifyStrategy, toPasswordPolicy, toUserProfile, toUserSummary } from "./mappers";
import type { ConnectionSummary } from "./types";

const databaseUser = auth0UserSchema.parse({
  user_id: "auth0|abc123",
  email: "jane@example.com",
  email_verified: true,
  name: "Jane Doe",
  nickname: "jane",
  picture: "https://s.gravatar.com/avatar/x.png",
  created_at: "2024-01-01T00:00:00.000Z",
  updated_at: "2024-02-01T00:00:00.000Z",
  last_login: "2024-03-01T00:00:00.000Z",
  last_ip: "203.0.113.9",
  logins_count: 7,
  identities: [
    { connection: "Username-Password-Authentication", provider: "auth0", user_id: "abc123", isSocial: false },
  ],
  app_metadata: { plan: "pro" },
  user_metadata: {},
  unknown_field: "ignored",
});

const connections: ConnectionSummary[] = [
  {
    id: "con_0123456789abcdef",
    name: "Username-Password-Authentication",
    displayName: "Username-Password-Authentication",
    strategy: "auth0",
    type: "database",
    passwordPolicy: toPasswordPolicy({
      passwordPolicy: "excellent",
      password_complexity_options: { min_length: 12 },
    }),
  },
];

describe("classifyStrategy", () => {
  it.each([
    ["auth0", "database"],
    ["google-oauth2", "social"],
    ["github", "social"],
    ["apple", "social"],
    ["samlp", "enterprise"],
    ["waad", "enterprise"],
    ["okta", "enterprise"],
    ["oidc", "enterprise"],
    ["sms", "passwordless"],
    ["email", "passwordless"],
    ["some-new-social", "social"],
  ])("%s → %s", (strategy, type) => {
    expect(classifyStrategy(strategy)).toBe(type);
  });
});

describe("toPasswordPolicy", () => {
  it("reads the preset, the minimum length and the extra rules", () => {
    expect(
      toPasswordPolicy({
        passwordPolicy: "fair",
        password_complexity_options: { min_length: 10 },
        password_history: { enable: true, size: 3 },
        password_dictionary: { enable: true, dictionary: ["x"] },
        password_no_personal_info: { enable: true },
      }),
    ).toEqual({
      policy: "fair",
      minLength: 10,
      complexity: null,
      history: { enabled: true, size: 3 },
      dictionary: { enabled: true, words: ["x"] },
      noPersonalInfo: { enabled: true, blockedFields: [] },
    });
  });

  it("reads password_options (the newer format): each part replaces its classic field", () => {
    expect(
      toPasswordPolicy({
        passwordPolicy: "good",
        password_history: { enable: false, size: 5 },
        password_dictionary: { enable: false, dictionary: ["old"] },
        password_options: {
          complexity: {
            min_length: 14,
            character_types: ["lowercase", "uppercase", "number", "emoji"],
            character_type_rule: "all",
            identical_characters: "block",
            sequential_characters: "allow",
            max_length_exceeded: "error",
          },
          history: { active: true, size: 10 },
          dictionary: { active: true, custom: ["acme2025", 7, ""], default: "en_10k" },
          profile_data: { active: true, blocked_fields: ["phone_number"] },
        },
      }),
    ).toEqual({
      policy: "good",
      minLength: null,
      complexity: {
        minLength: 14,
        characterTypes: ["lowercase", "uppercase", "number"],
        characterTypeRule: "all",
        identicalCharacters: "block",
        sequentialCharacters: "allow",
        maxLengthExceeded: "error",
      },
      history: { enabled: true, size: 10 },
      dictionary: { enabled: true, words: ["acme2025"] },
      noPersonalInfo: { enabled: true, blockedFields: ["phone_number"] },
    });
    // A part that is missing leaves the classic field in force; a malformed one is ignored.
    expect(
      toPasswordPolicy({
        password_no_personal_info: { enable: true },
        password_options: { history: { active: true }, complexity: "nonsense" },
      }),
    ).toMatchObject({
      complexity: null,
      history: { enabled: true, size: 5 },
      noPersonalInfo: { enabled: true, blockedFields: [] },
    });
  });

  it("falls back to the strict reading for missing or unknown values", () => {
    expect(toPasswordPolicy({ passwordPolicy: "weird", password_history: "nonsense" })).toEqual({
      policy: "good",
      minLength: null,
      complexity: null,
      history: { enabled: false, size: 5 },
      dictionary: { enabled: false, words: [] },
      noPersonalInfo: { enabled: false, blockedFields: [] },
    });
  });
});

describe("toUserSummary", () => {
  it("maps a database user", () => {
    expect(toUserSummary(databaseUser)).toEqual({
      userId: "auth0|abc123",
      name: "Jane Doe",
      email: "jane@example.com",
      emailVerified: true,
      picture: "https://s.gravatar.com/avatar/x.png",
      connection: "Username-Password-Authentication",
      connectionType: "database",
      loginsCount: 7,
      lastLogin: "2024-03-01T00:00:00.000Z",
      blocked: false,
    });
  });

  it("fills a never-logged-in social user with explicit defaults", () => {
    const user = auth0UserSchema.parse({
      user_id: "google-oauth2|1150",
      identities: [
        { connection: "google-oauth2", provider: "google-oauth2", user_id: "1150", isSocial: true },
      ],
    });
    expect(toUserSummary(user)).toMatchObject({
      name: "google-oauth2|1150",
      email: null,
      emailVerified: false,
      picture: null,
      connectionType: "social",
      loginsCount: 0,
      lastLogin: null,
    });
  });

  it("drops pictures that are not http(s)", () => {
    const user = auth0UserSchema.parse({ user_id: "auth0|x", picture: "javascript:alert(1)" });
    expect(toUserSummary(user).picture).toBeNull();
  });

  it("classifies a user without identities from the user id prefix", () => {
    expect(toUserSummary(auth0UserSchema.parse({ user_id: "samlp|acme|jdoe", blocked: true }))).toMatchObject(
      {
        connectionType: "enterprise",
        connection: null,
        blocked: true,
      },
    );
  });

  it("rejects a user without a user id (a malformed response)", () => {
    expect(auth0UserSchema.safeParse({ email: "x@example.com" }).success).toBe(false);
  });
});

describe("toUserProfile", () => {
  it("names the database identity with its connection id and policy", () => {
    const profile = toUserProfile(databaseUser, connections);
    expect(profile.databaseIdentity).toEqual({
      connection: "Username-Password-Authentication",
      connectionId: "con_0123456789abcdef",
      strategy: "auth0",
      passwordPolicy: {
        policy: "excellent",
        minLength: 12,
        complexity: null,
        history: { enabled: false, size: 5 },
        dictionary: { enabled: false, words: [] },
        noPersonalInfo: { enabled: false, blockedFields: [] },
      },
    });
    expect(profile).toMatchObject({
      lastIp: "203.0.113.9",
      lastPasswordReset: null,
      appMetadata: { plan: "pro" },
      userMetadata: {},
    });
    expect(profile).not.toHaveProperty("unknown_field");
  });

  it("still finds the database identity without the connection list", () => {
    expect(toUserProfile(databaseUser, null).databaseIdentity).toEqual({
      connection: "Username-Password-Authentication",
      connectionId: null,
      strategy: "auth0",
      passwordPolicy: null,
    });
  });

  it("finds a linked database identity behind a social primary identity", () => {
    const linked = auth0UserSchema.parse({
      user_id: "google-oauth2|1150",
      identities: [
        { connection: "google-oauth2", provider: "google-oauth2", user_id: "1150", isSocial: true },
        {
          connection: "Username-Password-Authentication",
          provider: "auth0",
          user_id: "abc123",
          isSocial: false,
        },
      ],
    });
    const profile = toUserProfile(linked, connections);
    expect(profile.connectionType).toBe("social");
    expect(profile.identities.map((identity) => identity.type)).toEqual(["social", "database"]);
    expect(profile.databaseIdentity?.connectionId).toBe("con_0123456789abcdef");
  });

  it("has no database identity for an enterprise user", () => {
    const user = auth0UserSchema.parse({
      user_id: "samlp|acme-saml|jdoe",
      identities: [
        { connection: "acme-saml", provider: "samlp", user_id: "acme-saml|jdoe", isSocial: false },
      ],
    });
    expect(toUserProfile(user, connections)).toMatchObject({
      connectionType: "enterprise",
      databaseIdentity: null,
    });
  });
});
