import { createHash } from "node:crypto";
import {
  DEMO_M2M_CLIENT_ID,
  DEMO_M2M_CLIENT_SECRET,
  DEMO_M2M_SCOPES,
  DEMO_READONLY_CLIENT_ID,
  DEMO_READONLY_CLIENT_SECRET,
  DEMO_READONLY_SCOPES,
  DEMO_RESET_CLIENT_ID,
  DEMO_RESET_CLIENT_NAME,
  DEMO_OIDC_CALLBACKS,
  DEMO_OIDC_CLIENT_ID,
  DEMO_OIDC_CLIENT_SECRET,
  DEMO_SPA_CALLBACK,
  DEMO_SPA_CLIENT_ID,
} from "./demo-credentials.ts";
import {
  CONSUMER_EMAIL_DOMAINS,
  ENGLISH_FAMILY_NAMES,
  ENGLISH_GIVEN_NAMES,
  JAPANESE_EMAIL_DOMAINS,
  JAPANESE_FAMILY_NAMES,
  JAPANESE_GIVEN_NAMES,
} from "./names.ts";
import { createRandom, type Random } from "./prng.ts";
import type { Client, Connection, User, UserSecret } from "./types.ts";

export const DATABASE_CONNECTION = "Username-Password-Authentication";
export const STAFF_CONNECTION = "Passdesk-Staff-DB";
export const GOOGLE_CONNECTION = "google-oauth2";
export const GITHUB_CONNECTION = "github";
export const SAML_CONNECTION = "acme-saml";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Seeded users were created between 3 years and 30 days before the seed anchor. */
const OLDEST_ACCOUNT_MS = 3 * 365 * DAY_MS;
const NEWEST_ACCOUNT_MS = 30 * DAY_MS;
/** Last logins are recent: at most 30 days before the anchor, most within a few days. */
const LAST_LOGIN_WINDOW_MS = 30 * DAY_MS;
/** A share of database users who have logged in reset their password within the last 60 days. */
const PASSWORD_RESET_SHARE = 0.2;
const PASSWORD_RESET_WINDOW_MS = 60 * DAY_MS;

export type SeedResult = {
  connections: Connection[];
  clients: Client[];
  users: User[];
  secrets: Map<string, UserSecret>;
};

export function seedClients(): Client[] {
  return [
    {
      client_id: DEMO_M2M_CLIENT_ID,
      name: "Passdesk (demo M2M)",
      client_secret: DEMO_M2M_CLIENT_SECRET,
      scopes: [...DEMO_M2M_SCOPES],
    },
    {
      client_id: DEMO_READONLY_CLIENT_ID,
      name: "Passdesk read-only (demo)",
      client_secret: DEMO_READONLY_CLIENT_SECRET,
      scopes: [...DEMO_READONLY_SCOPES],
    },
    { client_id: DEMO_RESET_CLIENT_ID, name: DEMO_RESET_CLIENT_NAME, scopes: [] },
    {
      client_id: DEMO_OIDC_CLIENT_ID,
      name: "Passdesk",
      client_secret: DEMO_OIDC_CLIENT_SECRET,
      scopes: [],
      app_type: "regular_web",
      callbacks: [...DEMO_OIDC_CALLBACKS],
      login_connections: [STAFF_CONNECTION],
    },
    {
      client_id: DEMO_SPA_CLIENT_ID,
      name: "Passdesk SPA (tests)",
      scopes: [],
      app_type: "spa",
      callbacks: [DEMO_SPA_CALLBACK],
      login_connections: [STAFF_CONNECTION, DATABASE_CONNECTION],
    },
  ];
}

/**
 * The staff directory of the demo identity provider (connection Passdesk-Staff-DB): the demo
 * operators of Passdesk (lib/auth/demo-operators.ts), with their IdP groups in
 * `app_metadata.roles` (the ID token's https://passdesk.dev/roles claim), and users for the
 * refusal cases. Documented in tenant/README.md. Their password is SEED_PASSWORD.
 */
export const STAFF_DIRECTORY: ReadonlyArray<{
  email: string;
  given: string;
  family: string;
  roles: string[];
  unverified?: boolean;
}> = [
  { email: "admin@passdesk.test", given: "Demo", family: "Admin", roles: ["passdesk-admins"] },
  { email: "support@passdesk.test", given: "Demo", family: "Support", roles: ["helpdesk"] },
  { email: "auditor@passdesk.test", given: "Demo", family: "Auditor", roles: ["auditors"] },
  /** Would be mapped to support, but the IdP has not verified the email. */
  { email: "unverified@passdesk.test", given: "Unverified", family: "Staff", roles: ["helpdesk"], unverified: true },
  /** Not a Passdesk operator, in no mapped group: always refused. */
  { email: "stranger@passdesk.test", given: "Stranger", family: "Staff", roles: [] },
  /** Not a Passdesk operator yet; in a mapped group, so created on first sign-in when mapping is on. */
  { email: "newhire@passdesk.test", given: "New", family: "Hire", roles: ["helpdesk"] },
  /** For tests that make this person a disabled operator. */
  { email: "former@passdesk.test", given: "Former", family: "Staff", roles: ["helpdesk"] },
];

function staffUser(entry: (typeof STAFF_DIRECTORY)[number], anchor: number): User {
  const rawId = createHash("sha256").update(`staff:${entry.email}`).digest("hex").slice(0, 24);
  const createdAt = iso(anchor - 200 * DAY_MS);
  const lastLogin = iso(anchor - DAY_MS);
  const localPart = entry.email.split("@")[0] ?? "staff";
  return {
    user_id: `auth0|${rawId}`,
    email: entry.email,
    email_verified: !entry.unverified,
    created_at: createdAt,
    updated_at: lastLogin,
    identities: [{ connection: STAFF_CONNECTION, user_id: rawId, provider: "auth0", isSocial: false }],
    app_metadata: { roles: [...entry.roles] },
    user_metadata: {},
    picture: initialsPicture(initialsOf(`${entry.given}.${entry.family}`)),
    name: `${entry.given} ${entry.family}`,
    nickname: localPart,
    given_name: entry.given,
    family_name: entry.family,
    logins_count: 3,
    last_login: lastLogin,
    last_ip: "192.0.2.10",
  };
}

function seedConnections(random: Random): Connection[] {
  const enabled = [
    DEMO_M2M_CLIENT_ID,
    DEMO_READONLY_CLIENT_ID,
    DEMO_RESET_CLIENT_ID,
    DEMO_OIDC_CLIENT_ID,
    DEMO_SPA_CLIENT_ID,
  ];
  const make = (
    name: string,
    displayName: string,
    strategy: string,
    options: Connection["options"],
  ): Connection => ({
    id: `con_${random.alphanumeric(16)}`,
    name,
    display_name: displayName,
    strategy,
    options,
    enabled_clients: enabled,
    is_domain_connection: false,
    realms: [name],
  });
  return [
    make(DATABASE_CONNECTION, "Username-Password-Authentication", "auth0", {
      passwordPolicy: "good",
      password_history: { enable: true, size: 5 },
      password_dictionary: { enable: false, dictionary: [] },
      password_no_personal_info: { enable: false },
      brute_force_protection: true,
      requires_username: false,
    }),
    make(STAFF_CONNECTION, "Passdesk Staff", "auth0", {
      passwordPolicy: "excellent",
      password_complexity_options: { min_length: 12 },
      password_history: { enable: false, size: 5 },
      password_dictionary: {
        enable: true,
        dictionary: ["passdesk", "passdesk123!", "Passdesk2025!", "CorrectHorse1!"],
      },
      password_no_personal_info: { enable: true },
      brute_force_protection: true,
      requires_username: false,
    }),
    make(GOOGLE_CONNECTION, "Google", "google-oauth2", {
      email: true,
      profile: true,
      scope: ["email", "profile"],
    }),
    make(GITHUB_CONNECTION, "GitHub", "github", { email: true, scope: ["user:email"] }),
    make(SAML_CONNECTION, "ACME Corp SSO", "samlp", {
      signInEndpoint: "https://sso.acme.example/saml2/idp/SSOService",
      domain_aliases: ["acme.example"],
    }),
  ];
}

type Person = { given: string; family: string; name: string; localPart: string; japanese: boolean };

function makePerson(random: Random): Person {
  if (random.chance(0.3)) {
    const [familyKanji, familyRomaji] = random.pick(JAPANESE_FAMILY_NAMES);
    const [givenKanji, givenRomaji] = random.pick(JAPANESE_GIVEN_NAMES);
    return {
      given: givenKanji,
      family: familyKanji,
      name: `${familyKanji} ${givenKanji}`,
      localPart: `${givenRomaji}.${familyRomaji}`,
      japanese: true,
    };
  }
  const given = random.pick(ENGLISH_GIVEN_NAMES);
  const family = random.pick(ENGLISH_FAMILY_NAMES);
  return {
    given,
    family,
    name: `${given} ${family}`,
    localPart: `${given}.${family}`.toLowerCase(),
    japanese: false,
  };
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

const AVATAR_COLOURS = ["#475569", "#0f766e", "#1d4ed8", "#7c3aed", "#b45309", "#be123c"];

/**
 * The seeded picture: an SVG with the initials as a data: URI, so showing a seeded user sends the
 * browser to no outside host (Auth0 itself points at Gravatar, which fails offline).
 */
export function initialsPicture(initials: string): string {
  const letters = initials.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 2) || "U";
  const colour = AVATAR_COLOURS[(letters.charCodeAt(0) + (letters.charCodeAt(1) || 0)) % AVATAR_COLOURS.length];
  const svg =
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 40'><rect width='40' height='40' fill='${colour}'/>` +
    `<text x='20' y='26' font-family='sans-serif' font-size='16' text-anchor='middle' fill='#fff'>${letters}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Two ASCII initials from the email's local part ("taro.yamada" → "ty"), for the avatar. */
function initialsOf(localPart: string): string {
  const [first = "u", second = ""] = localPart.split(/[._-]/);
  return `${first[0] ?? "u"}${second[0] ?? ""}`;
}

function randomIp(random: Random): string {
  return `${random.int(11, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

type Fixture = {
  email: string;
  given: string;
  family: string;
  connection: string;
  blocked?: boolean;
  neverLoggedIn?: boolean;
  linkedGoogle?: boolean;
  unverified?: boolean;
  /** `app_metadata.region` (for scoped operators); other users get one from their id's hash. */
  region?: Region;
  /** Fixed ages (ms before the seed anchor) instead of random ones, for a user demos point at. */
  ago?: Ages;
  /** Merged into app_metadata after the random draws (so no other seeded user changes). */
  appMetadata?: Record<string, unknown>;
};

/** Customer regions in `app_metadata.region`, what a help desk is scoped by (issue 16). */
export const REGIONS = ["eu", "us", "apac"] as const;
export type Region = (typeof REGIONS)[number];

/** A user's region: the fixture's own, else from a hash of the user id (no PRNG draw, so nothing else moves). */
function regionOf(userId: string, fixed: Region | undefined): Region {
  if (fixed) return fixed;
  const byte = createHash("sha256").update(`region:${userId}`).digest()[0] ?? 0;
  return REGIONS[byte % REGIONS.length] ?? "eu";
}

type Ages = { created?: number; lastLogin?: number; passwordReset?: number };

/**
 * Named users that always exist (when the user count allows), so demos and tests can find a
 * known user of each kind without searching. Documented in tenant/README.md.
 */
const FIXTURES: Fixture[] = [
  {
    email: "alice.demo@example.com",
    given: "Alice",
    family: "Demo",
    connection: DATABASE_CONNECTION,
    region: "eu",
    ago: { created: 240 * DAY_MS, lastLogin: 2 * HOUR_MS, passwordReset: 6 * DAY_MS },
  },
  {
    email: "blocked.demo@example.com",
    given: "Blocked",
    family: "Demo",
    connection: DATABASE_CONNECTION,
    region: "us",
    blocked: true,
  },
  { email: "hanako.yamada@example.jp", given: "花子", family: "山田", connection: DATABASE_CONNECTION, region: "apac" },
  {
    email: "never.demo@example.com",
    given: "Never",
    family: "Demo",
    connection: DATABASE_CONNECTION,
    neverLoggedIn: true,
    unverified: true,
    region: "us",
  },
  {
    email: "linked.demo@example.com",
    given: "Linked",
    family: "Demo",
    connection: DATABASE_CONNECTION,
    linkedGoogle: true,
    region: "eu",
  },
  // A protected user for Passdesk's four-eyes approvals (the demo's PROTECTED_USERS_QUERY app_metadata.roles:"admin").
  { email: "staff.demo@passdesk.example", given: "Staff", family: "Demo", connection: STAFF_CONNECTION, appMetadata: { roles: ["admin"] } },
  { email: "google.demo@gmail.example", given: "Google", family: "Demo", connection: GOOGLE_CONNECTION, region: "us" },
  { email: "saml.demo@acme.example", given: "Saml", family: "Demo", connection: SAML_CONNECTION, region: "eu" },
];

type Draft = {
  person: Person;
  email: string;
  connection: string;
  blocked: boolean;
  neverLoggedIn: boolean;
  linkedGoogle: boolean;
  unverified: boolean;
  region?: Region;
  ago?: Ages;
  appMetadata?: Record<string, unknown>;
};

/** Where seeded dates come from: the instant they are relative to, and their own random stream. */
type Dates = { anchor: number; random: Random };

function pickConnection(random: Random): string {
  const roll = random.next();
  if (roll < 0.6) return DATABASE_CONNECTION;
  if (roll < 0.65) return STAFF_CONNECTION;
  if (roll < 0.85) return GOOGLE_CONNECTION;
  if (roll < 0.93) return GITHUB_CONNECTION;
  return SAML_CONNECTION;
}

function emailDomainFor(random: Random, connection: string, person: Person): string {
  if (connection === STAFF_CONNECTION) return "passdesk.example";
  if (connection === SAML_CONNECTION) return "acme.example";
  if (connection === GOOGLE_CONNECTION) return "gmail.example";
  return person.japanese ? random.pick(JAPANESE_EMAIL_DOMAINS) : random.pick(CONSUMER_EMAIL_DOMAINS);
}

function buildUser(random: Random, dates: Dates, draft: Draft, connectionsByName: Map<string, Connection>): User {
  const { person, email, connection } = draft;
  const { anchor } = dates;
  // Each date takes exactly one number from `random` whatever its value, so the users (ids, names,
  // emails) are the same for every anchor; only the dates move with it.
  const randomCreatedAt = random.int(anchor - OLDEST_ACCOUNT_MS, anchor - NEWEST_ACCOUNT_MS);
  const createdAt = draft.ago?.created === undefined ? randomCreatedAt : anchor - draft.ago.created;
  const strategy = connectionsByName.get(connection)?.strategy ?? "auth0";
  let rawId: string;
  let provider: string;
  let isSocial = false;
  if (strategy === "auth0") {
    rawId = random.hex(24);
    provider = "auth0";
  } else if (strategy === "google-oauth2") {
    rawId = `1${random.digits(20)}`;
    provider = "google-oauth2";
    isSocial = true;
  } else if (strategy === "github") {
    rawId = String(random.int(1_000_000, 99_999_999));
    provider = "github";
    isSocial = true;
  } else {
    // Enterprise ids carry the connection name: samlp|acme-saml|jdoe.
    rawId = `${connection}|${email.split("@")[0]}`;
    provider = strategy;
  }
  const userId = `${provider}|${rawId}`;
  const identities: User["identities"] = [{ connection, user_id: rawId, provider, isSocial }];
  const verified = isSocial || strategy === "samlp" ? true : !draft.unverified;
  const user: User = {
    user_id: userId,
    email,
    email_verified: verified,
    created_at: iso(createdAt),
    updated_at: iso(createdAt),
    identities,
    app_metadata: {},
    user_metadata: person.japanese ? { preferred_language: "ja" } : {},
    picture: initialsPicture(initialsOf(person.localPart)),
    name: person.name,
    nickname: email.split("@")[0] ?? person.given,
    given_name: person.given,
    family_name: person.family,
  };
  if (connection !== STAFF_CONNECTION) user.app_metadata = { region: regionOf(userId, draft.region) };
  if (random.chance(0.15)) user.app_metadata = { ...user.app_metadata, plan: random.pick(["free", "pro", "enterprise"]) };
  if (draft.appMetadata) user.app_metadata = { ...user.app_metadata, ...draft.appMetadata };
  if (draft.linkedGoogle) {
    const googleId = `1${random.digits(20)}`;
    identities.push({
      connection: GOOGLE_CONNECTION,
      user_id: googleId,
      provider: "google-oauth2",
      isSocial: true,
      profileData: {
        email,
        email_verified: true,
        name: person.name,
        given_name: person.given,
        family_name: person.family,
      },
    });
  }
  if (!draft.neverLoggedIn) {
    // Cubed: most logins are hours or days ago, a few weeks ago; never before the account existed.
    const randomAgo = MINUTE_MS * 5 + Math.floor(LAST_LOGIN_WINDOW_MS * random.next() ** 3);
    const lastLogin = Math.max(createdAt, anchor - (draft.ago?.lastLogin ?? randomAgo));
    user.logins_count = Math.max(1, Math.floor(Math.exp(random.next() * 6)));
    user.last_login = iso(lastLogin);
    user.last_ip = randomIp(random);
    user.updated_at = iso(lastLogin);
  }
  // Password resets come from their own stream (adding them left the users above unchanged).
  const resetAgo =
    draft.ago?.passwordReset ??
    (strategy === "auth0" && !draft.neverLoggedIn && dates.random.chance(PASSWORD_RESET_SHARE)
      ? dates.random.int(DAY_MS, PASSWORD_RESET_WINDOW_MS)
      : undefined);
  if (resetAgo !== undefined) {
    const reset = Math.max(createdAt, anchor - resetAgo);
    user.last_password_reset = iso(reset);
    if (reset > Date.parse(user.updated_at)) user.updated_at = iso(reset);
  }
  if (draft.blocked) user.blocked = true;
  return user;
}

/**
 * Builds the initial tenant deterministically from `seed`, with every date relative to `anchor`
 * (epoch ms: the tenant's start unless TENANT_NOW / TenantOptions.seedAnchor says otherwise), so
 * demo data looks current. `seedPasswordHash` is the one hash every seeded database user gets
 * (hashing per user would make 100,000 users slow). `staffDirectory` adds STAFF_DIRECTORY after
 * the `userCount` users (the demo identity provider's staff).
 */
export function seedTenant(
  seed: number,
  userCount: number,
  seedPasswordHash: string,
  anchor: number,
  options: { staffDirectory?: boolean } = {},
): SeedResult {
  const random = createRandom(seed);
  const dates: Dates = { anchor, random: createRandom((seed ^ 0x5eed_da7e) >>> 0) };
  const connections = seedConnections(random);
  const connectionsByName = new Map(connections.map((c) => [c.name, c]));
  const users: User[] = [];
  const secrets = new Map<string, UserSecret>();
  const usedEmails = new Set<string>();

  const add = (draft: Draft): void => {
    const user = buildUser(random, dates, draft, connectionsByName);
    users.push(user);
    usedEmails.add(`${draft.connection}/${draft.email}`);
    if (connectionsByName.get(draft.connection)?.strategy === "auth0") {
      secrets.set(user.user_id, {
        passwordHash: seedPasswordHash,
        passwordHistory: [seedPasswordHash],
        sessionsValidAfter: 0,
      });
    }
  };

  for (const fixture of FIXTURES.slice(0, userCount)) {
    const japanese = /[^\x00-\x7f]/.test(fixture.given);
    add({
      person: {
        given: fixture.given,
        family: fixture.family,
        name: japanese ? `${fixture.family} ${fixture.given}` : `${fixture.given} ${fixture.family}`,
        localPart: fixture.email.split("@")[0] ?? "user",
        japanese,
      },
      email: fixture.email,
      connection: fixture.connection,
      blocked: fixture.blocked ?? false,
      neverLoggedIn: fixture.neverLoggedIn ?? false,
      linkedGoogle: fixture.linkedGoogle ?? false,
      unverified: fixture.unverified ?? false,
      ...(fixture.ago ? { ago: fixture.ago } : {}),
      ...(fixture.region ? { region: fixture.region } : {}),
      ...(fixture.appMetadata ? { appMetadata: fixture.appMetadata } : {}),
    });
  }

  while (users.length < userCount) {
    const person = makePerson(random);
    const connection = pickConnection(random);
    const domain = emailDomainFor(random, connection, person);
    let email = `${person.localPart}@${domain}`;
    for (let suffix = 2; usedEmails.has(`${connection}/${email}`); suffix++) {
      email = `${person.localPart}${suffix}@${domain}`;
    }
    const isDatabase = connection === DATABASE_CONNECTION || connection === STAFF_CONNECTION;
    add({
      person,
      email,
      connection,
      blocked: random.chance(0.04),
      neverLoggedIn: random.chance(0.1),
      linkedGoogle: connection === DATABASE_CONNECTION && random.chance(0.03),
      unverified: isDatabase && random.chance(0.15),
    });
  }
  // The staff directory comes on top of the user count and is not drawn from `random`, so every
  // other seeded user is the same with or without it.
  for (const entry of options.staffDirectory ? STAFF_DIRECTORY : []) {
    const user = staffUser(entry, anchor);
    users.push(user);
    secrets.set(user.user_id, {
      passwordHash: seedPasswordHash,
      passwordHistory: [seedPasswordHash],
      sessionsValidAfter: 0,
    });
  }
  return { connections, clients: seedClients(), users, secrets };
}
