import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { AuthenticationMethod } from "./mfa.ts";
import type { Organization } from "./organizations.ts";
import { SearchIndex } from "./search-index.ts";
import type {
  Client,
  Connection,
  LogEvent,
  OutboxMessage,
  ResetLink,
  TenantSettings,
  User,
  UserSecret,
} from "./types.ts";

/** Keep the newest N log events and emails; a long demo must not grow without bound. */
const MAX_LOGS = 20_000;
const MAX_OUTBOX = 2_000;

/**
 * The tenant's whole state, in memory. Every mutation goes through here so the email and search
 * indexes stay right and the snapshot knows it has something to write. Users are copy-on-write:
 * a change is a new object given to putUser, never an edit of the stored one.
 */
export class TenantStore {
  users = new Map<string, User>();
  secrets = new Map<string, UserSecret>();
  connections: Connection[] = [];
  clients = new Map<string, Client>();
  resetLinks = new Map<string, ResetLink>();
  /** Only the newest reset link of a user is valid. */
  latestLinkByUser = new Map<string, string>();
  /** Newest last. */
  outbox: OutboxMessage[] = [];
  /** Newest last. */
  logs: LogEvent[] = [];
  settings: TenantSettings;
  /** Enrolled MFA factors by user id (see src/mfa.ts). */
  authenticationMethods = new Map<string, AuthenticationMethod[]>();
  /** Organizations in creation order, and their members (user ids, in the order added). */
  organizations: Organization[] = [];
  organizationMembers = new Map<string, string[]>();
  /** Verification-email jobs by id. */
  jobs = new Map<string, VerificationJob>();
  /** Email-verification links (token → user id) from verification emails. */
  verificationLinks = new Map<string, { userId: string; expiresAt: number }>();
  private emailIndex = new Map<string, Set<string>>();
  /** Exact-match postings for user search (src/search-index.ts). */
  readonly searchIndex = new SearchIndex();
  private listeners: (() => void)[] = [];

  constructor(settings: TenantSettings) {
    this.settings = settings;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  load(data: {
    users: User[];
    secrets: Map<string, UserSecret>;
    connections: Connection[];
    clients: Client[];
  }): void {
    this.users = new Map(data.users.map((u) => [u.user_id, u]));
    this.secrets = data.secrets;
    this.connections = data.connections;
    this.clients = new Map(data.clients.map((c) => [c.client_id, c]));
    this.resetLinks = new Map();
    this.latestLinkByUser = new Map();
    this.outbox = [];
    this.logs = [];
    this.authenticationMethods = new Map();
    this.organizations = [];
    this.organizationMembers = new Map();
    this.jobs = new Map();
    this.verificationLinks = new Map();
    this.rebuildEmailIndex();
    this.searchIndex.clear();
    for (const user of this.users.values()) this.searchIndex.put(user);
  }

  setAuthenticationMethods(userId: string, methods: AuthenticationMethod[]): void {
    if (methods.length === 0) this.authenticationMethods.delete(userId);
    else this.authenticationMethods.set(userId, methods);
    this.changed();
  }

  private rebuildEmailIndex(): void {
    this.emailIndex = new Map();
    for (const user of this.users.values()) this.indexEmail(user);
  }

  private indexEmail(user: User): void {
    if (!user.email) return;
    const key = user.email.toLowerCase();
    const ids = this.emailIndex.get(key) ?? new Set<string>();
    ids.add(user.user_id);
    this.emailIndex.set(key, ids);
  }

  private unindexEmail(user: User): void {
    if (!user.email) return;
    this.emailIndex.get(user.email.toLowerCase())?.delete(user.user_id);
  }

  usersByEmail(email: string): User[] {
    const ids = this.emailIndex.get(email.toLowerCase());
    if (!ids) return [];
    return [...ids].map((id) => this.users.get(id)).filter((u): u is User => u !== undefined);
  }

  /** The database user with this email in this connection (emails are unique per connection). */
  findInConnection(email: string, connection: string): User | undefined {
    return this.usersByEmail(email).find((u) => u.identities[0]?.connection === connection);
  }

  putUser(user: User, secret?: UserSecret): void {
    const previous = this.users.get(user.user_id);
    if (previous) this.unindexEmail(previous);
    this.users.set(user.user_id, user);
    this.indexEmail(user);
    this.searchIndex.put(user);
    if (secret) this.secrets.set(user.user_id, secret);
    this.changed();
  }

  deleteUser(userId: string): boolean {
    const user = this.users.get(userId);
    if (!user) return false;
    this.unindexEmail(user);
    this.users.delete(userId);
    this.searchIndex.delete(userId);
    this.secrets.delete(userId);
    this.latestLinkByUser.delete(userId);
    this.authenticationMethods.delete(userId);
    for (const [orgId, members] of this.organizationMembers)
      this.organizationMembers.set(
        orgId,
        members.filter((id) => id !== userId),
      );
    this.changed();
    return true;
  }

  connectionByName(name: string): Connection | undefined {
    return this.connections.find((c) => c.name === name);
  }

  connectionById(id: string): Connection | undefined {
    return this.connections.find((c) => c.id === id);
  }

  addResetLink(link: ResetLink): void {
    this.resetLinks.set(link.id, link);
    this.latestLinkByUser.set(link.user_id, link.id);
    this.changed();
  }

  addOutbox(message: OutboxMessage): void {
    this.outbox.push(message);
    if (this.outbox.length > MAX_OUTBOX) this.outbox.splice(0, this.outbox.length - MAX_OUTBOX);
    this.changed();
  }

  addLog(event: LogEvent): void {
    this.logs.push(event);
    if (this.logs.length > MAX_LOGS) this.logs.splice(0, this.logs.length - MAX_LOGS);
    this.changed();
  }

  // ---- snapshot -------------------------------------------------------------------------

  toSnapshot(meta: { seed: number; userCount: number }): TenantSnapshot {
    // Seeded users share one hash; store each distinct hash once to keep the file small.
    const hashes: string[] = [];
    const hashIndex = new Map<string, number>();
    const ref = (hash: string): number => {
      let index = hashIndex.get(hash);
      if (index === undefined) {
        index = hashes.length;
        hashes.push(hash);
        hashIndex.set(hash, index);
      }
      return index;
    };
    const secrets: SnapshotSecret[] = [];
    for (const [userId, secret] of this.secrets) {
      secrets.push({
        user_id: userId,
        hash: secret.passwordHash === undefined ? null : ref(secret.passwordHash),
        history: secret.passwordHistory.map(ref),
        sessionsValidAfter: secret.sessionsValidAfter,
      });
    }
    return {
      version: 1,
      seed: meta.seed,
      userCount: meta.userCount,
      settings: this.settings,
      connections: this.connections,
      clients: [...this.clients.values()],
      users: [...this.users.values()],
      hashes,
      secrets,
      resetLinks: [...this.resetLinks.values()],
      latestLinkByUser: Object.fromEntries(this.latestLinkByUser),
      outbox: this.outbox,
      logs: this.logs,
      authenticationMethods: Object.fromEntries(this.authenticationMethods),
      jobs: [...this.jobs.values()],
      organizations: this.organizations,
      organizationMembers: Object.fromEntries(this.organizationMembers),
    };
  }

  restore(snapshot: TenantSnapshot): void {
    const secrets = new Map<string, UserSecret>();
    const hashAt = (index: number): string => snapshot.hashes[index] ?? "";
    for (const entry of snapshot.secrets) {
      secrets.set(entry.user_id, {
        ...(entry.hash === null ? {} : { passwordHash: hashAt(entry.hash) }),
        passwordHistory: entry.history.map(hashAt),
        sessionsValidAfter: entry.sessionsValidAfter,
      });
    }
    this.load({
      users: snapshot.users,
      secrets,
      connections: snapshot.connections,
      clients: snapshot.clients,
    });
    this.settings = snapshot.settings;
    this.resetLinks = new Map(snapshot.resetLinks.map((l) => [l.id, l]));
    this.latestLinkByUser = new Map(Object.entries(snapshot.latestLinkByUser));
    this.outbox = snapshot.outbox;
    this.logs = snapshot.logs;
    this.authenticationMethods = new Map(Object.entries(snapshot.authenticationMethods ?? {}));
    this.jobs = new Map((snapshot.jobs ?? []).map((job) => [job.id, job]));
    this.organizations = snapshot.organizations ?? [];
    this.organizationMembers = new Map(Object.entries(snapshot.organizationMembers ?? {}));
  }
}

type SnapshotSecret = { user_id: string; hash: number | null; history: number[]; sessionsValidAfter: number };

export type TenantSnapshot = {
  version: 1;
  seed: number;
  userCount: number;
  settings: TenantSettings;
  connections: Connection[];
  clients: Client[];
  users: User[];
  hashes: string[];
  secrets: SnapshotSecret[];
  resetLinks: ResetLink[];
  latestLinkByUser: Record<string, string>;
  outbox: OutboxMessage[];
  logs: LogEvent[];
  /** Absent in snapshots written before MFA enrolments existed. */
  authenticationMethods?: Record<string, AuthenticationMethod[]>;
  jobs?: VerificationJob[];
  organizations?: Organization[];
  organizationMembers?: Record<string, string[]>;
};

/** A `verification_email` job of POST /api/v2/jobs/verification-email. */
export type VerificationJob = {
  id: string;
  type: "verification_email";
  status: "pending" | "completed";
  created_at: string;
  user_id: string;
};

export async function readSnapshot(file: string): Promise<TenantSnapshot | null> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as TenantSnapshot;
    return parsed.version === 1 ? parsed : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Write-then-rename so a crash mid-write never leaves a truncated snapshot. */
export async function writeSnapshot(file: string, snapshot: TenantSnapshot): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  await rename(temporary, file);
}
