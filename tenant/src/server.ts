import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { join } from "node:path";
import { oidcStateOf } from "./auth/authorize.ts";
import { SigningKeys } from "./auth/keys.ts";
import { BruteForceProtection } from "./brute-force.ts";
import { TenantClock } from "./clock.ts";
import { createStats, SessionStore, type TenantContext } from "./context.ts";
import { DEMO_CONTROL_TOKEN, SEED_PASSWORD } from "./demo-credentials.ts";
import { FaultInjector } from "./faults.ts";
import { seedAuthenticationMethods } from "./mfa.ts";
import { seedOrganizations } from "./organizations.ts";
import { hashPassword } from "./password-hash.ts";
import {
  applyRateLimitOverrides,
  defaultRateLimits,
  RateLimiter,
  type RateLimitOverrides,
} from "./rate-limit.ts";
import { handleRequest } from "./router.ts";
import { seedClients, seedTenant, STAFF_DIRECTORY } from "./seed.ts";
import { readSnapshot, TenantStore, writeSnapshot } from "./store.ts";
import { ensureTls } from "./tls.ts";

/** Request line + headers the tenant accepts (see the README: Auth0's own limit is not documented). */
const MAX_REQUEST_HEAD_BYTES = 64 * 1024;

export type TenantOptions = {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** State directory; the CA, signing key and snapshot live in `${dataDir}/tenant/`. */
  dataDir: string;
  seed?: number;
  users?: number;
  /** Snapshot state to disk (debounced after writes, and on close) and restore it on start. */
  persist?: boolean;
  rateLimits?: RateLimitOverrides;
  resetLinkLifetimeSec?: number;
  controlToken?: string;
  /** Debounce of snapshot writes, ms. */
  snapshotDelayMs?: number;
  /**
   * The tenant's clock (epoch ms; default Date.now). Reset links expire by it, so a test can move
   * it forward instead of waiting.
   */
  now?: () => number;
  /**
   * The instant seeded dates are relative to ("last login 2 hours ago"); default: the clock at
   * start. The same seed and anchor give the same tenant; a reseed keeps the start's anchor.
   */
  seedAnchor?: number;
  /**
   * Seed the staff directory of the demo identity provider (tenant/src/seed.ts STAFF_DIRECTORY)
   * on top of `users`. `npm run tenant` / the demo turn it on; tests that need it ask for it.
   */
  staffDirectory?: boolean;
};

export type RunningTenant = {
  /** `https://localhost:PORT` */
  url: string;
  /** `localhost:PORT` — what AUTH0_DOMAIN is set to. */
  domain: string;
  port: number;
  caFile: string;
  caPem: string;
  controlToken: string;
  /** Writes the snapshot now (when persisting). */
  snapshot(): Promise<void>;
  close(): Promise<void>;
};

const DEFAULT_RESET_LINK_LIFETIME_SEC = 432_000;

export async function startTenant(options: TenantOptions): Promise<RunningTenant> {
  const host = options.host ?? "localhost";
  const seed = options.seed ?? 42;
  const userCount = options.users ?? 5000;
  const stateDir = join(options.dataDir, "tenant");
  const snapshotFile = join(stateDir, "state.json");
  const persist = options.persist ?? false;
  const resetLinkLifetimeSec = options.resetLinkLifetimeSec ?? DEFAULT_RESET_LINK_LIFETIME_SEC;
  const now = options.now ?? Date.now;
  const seedAnchor = options.seedAnchor ?? now();
  const staffDirectory = options.staffDirectory ?? false;

  const [tls, keys, seedPasswordHash] = await Promise.all([
    ensureTls(stateDir),
    SigningKeys.load(stateDir),
    hashPassword(SEED_PASSWORD),
  ]);
  const store = new TenantStore({ resetLinkLifetimeSec });

  const reseedStore = (): void => {
    const seeded = seedTenant(seed, userCount, seedPasswordHash, seedAnchor, { staffDirectory });
    store.load(seeded);
    store.authenticationMethods = seedAuthenticationMethods(store.users.values());
    const orgs = seedOrganizations(store.users.values());
    store.organizations = orgs.organizations;
    store.organizationMembers = orgs.members;
    store.settings = { resetLinkLifetimeSec };
  };
  const snapshot = persist ? await readSnapshot(snapshotFile) : null;
  const snapshotHasStaff = (snapshot?.users ?? []).some((user) => user.email === STAFF_DIRECTORY[0]?.email);
  if (snapshot && snapshot.seed === seed && snapshot.userCount === userCount && snapshotHasStaff === staffDirectory) {
    store.restore(snapshot);
    // Applications are configuration, not data: a snapshot from before a new seeded client gets it.
    for (const client of seedClients()) store.clients.set(client.client_id, client);
  } else {
    if (snapshot)
      console.warn(`[tenant] ignoring ${snapshotFile}: it was made with a different seed, user count or staff directory`);
    reseedStore();
  }

  const rateLimiter = new RateLimiter(applyRateLimitOverrides(defaultRateLimits(), options.rateLimits ?? {}));
  const context: TenantContext = {
    store,
    keys,
    rateLimiter,
    faults: new FaultInjector(),
    stats: createStats(),
    sessions: new SessionStore(),
    bruteForce: new BruteForceProtection(),
    clock: new TenantClock(),
    controlToken: options.controlToken ?? DEMO_CONTROL_TOKEN,
    withheldScopes: new Set(),
    domain: "",
    now,
    reseed: async () => {
      reseedStore();
      context.sessions.clear();
      oidcStateOf(context).clear();
      context.bruteForce.clear();
      context.clock.reset();
      context.faults.clear();
      context.withheldScopes.clear();
      rateLimiter.configure(applyRateLimitOverrides(defaultRateLimits(), options.rateLimits ?? {}));
      store.changed();
    },
  };

  // Snapshots are debounced: a burst of writes produces one file write.
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const writeNow = async (): Promise<void> => {
    if (!persist) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing
      .then(() => writeSnapshot(snapshotFile, store.toSnapshot({ seed, userCount })))
      .catch((error: unknown) => {
        console.error("[tenant] snapshot failed", error);
      });
    await writing;
  };
  if (persist) {
    store.onChange(() => {
      if (!timer) timer = setTimeout(() => void writeNow(), options.snapshotDelayMs ?? 1000);
    });
  }

  const sockets = new Set<Socket>();
  // Long user searches (a scoped operator's organization as `user_id:(…)`, up to 1,000 ids, about
  // 45 KB encoded) must fit in the request line: Node's default limit is 16 KB (README, unconfirmed).
  const server: Server = createServer({ key: tls.key, cert: tls.cert, maxHeaderSize: MAX_REQUEST_HEAD_BYTES }, (req, res) => {
    void handleRequest(context, req, res);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A client that drops mid-request must not crash the tenant.
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 0);
  const domain = `localhost:${port}`;
  context.domain = domain;

  let closed = false;
  return {
    url: `https://${domain}`,
    domain,
    port,
    caFile: tls.caFile,
    caPem: tls.caPem,
    controlToken: context.controlToken,
    snapshot: writeNow,
    close: async () => {
      if (closed) return;
      closed = true;
      await writeNow();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging (fault-injected) and keep-alive connections would keep close() waiting.
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
