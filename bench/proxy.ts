import { randomBytes } from "node:crypto";
import { buildUserSearchQuery, type SearchField } from "@/lib/auth0/lucene";
import type { PassdeskClient } from "./lib/passdesk";
import { round, runPool, summarize, timed, type LatencySummary } from "./lib/stats";
import type { DirectClient } from "./lib/tenant";

/**
 * Passdesk versus the SDK called directly, same tenant, same run, interleaved ABBA so drift
 * (GC, JIT, the tenant's caches, the other core being busy) hits both variants alike.
 */

/** What lib/auth0/users.ts asks for (kept in step by hand: Passdesk does not export it). */
const LIST_FIELDS = "user_id,name,nickname,email,email_verified,picture,identities,logins_count,last_login,blocked";
export const DATABASE_CONNECTION = "Username-Password-Authentication";

/** The users-search bench's searches (also bench/scope-search.ts's, with a scope). */
export const SEARCHES: readonly { q: string; field: SearchField }[] = [
  { q: "alice.demo@example.com", field: "email" },
  { q: "jam", field: "email" },
  { q: "hanako", field: "email" },
  { q: "Smith", field: "name" },
  { q: "example.jp", field: "email" },
  { q: "山田", field: "name" },
];

export type Comparison = {
  passdesk: LatencySummary;
  direct: LatencySummary;
  /** passdesk.p50 / direct.p50 */
  p50Ratio: number;
  p95Ratio: number;
  /** Median of the per-pair differences (ms): what one Passdesk call adds. */
  addedMsMedian: number;
};

function compare(passdesk: number[], direct: number[]): Comparison {
  const a = summarize(passdesk);
  const b = summarize(direct);
  const differences = passdesk.map((value, index) => value - (direct[index] ?? value));
  return {
    passdesk: a,
    direct: b,
    p50Ratio: round(a.p50 / b.p50, 3),
    p95Ratio: round(a.p95 / b.p95, 3),
    addedMsMedian: summarize(differences).p50,
  };
}

/** Runs `a` and `b` once each, alternating which goes first. */
async function pair(index: number, a: () => Promise<void>, b: () => Promise<void>): Promise<[number, number]> {
  if (index % 2 === 0) {
    const first = await timed(a);
    const second = await timed(b);
    return [first.ms, second.ms];
  }
  const first = await timed(b);
  const second = await timed(a);
  return [second.ms, first.ms];
}

function directSearch(direct: DirectClient, search: { q: string; field: SearchField }, perPage: number) {
  const built = buildUserSearchQuery({ field: search.field, text: search.q });
  if (!built.ok) throw new Error(`Search ${search.q} does not build`);
  return direct.management.users.list({
    q: built.q,
    search_engine: "v3",
    page: 0,
    per_page: perPage,
    include_totals: true,
    fields: LIST_FIELDS,
    include_fields: true,
  });
}

export async function compareSearch(
  passdesk: PassdeskClient,
  direct: DirectClient,
  options: { iterations: number; warmup: number; perPage: number },
): Promise<Comparison> {
  const passdeskTimes: number[] = [];
  const directTimes: number[] = [];
  for (let index = 0; index < options.warmup + options.iterations; index++) {
    const search = SEARCHES[index % SEARCHES.length] ?? SEARCHES[0];
    if (!search) throw new Error("no searches");
    const [a, b] = await pair(
      index,
      async () => {
        await passdesk.search({ q: search.q, field: search.field, perPage: options.perPage });
      },
      async () => {
        await directSearch(direct, search, options.perPage);
      },
    );
    if (index >= options.warmup) {
      passdeskTimes.push(a);
      directTimes.push(b);
    }
  }
  return compare(passdeskTimes, directTimes);
}

/** A password the tenant's "good" policy accepts and no history holds. */
export function benchPassword(): string {
  return `Bench-${randomBytes(9).toString("base64url")}-Aa1!`;
}

/** Database users whose primary identity is the database connection (the Danger Zone's case). */
export async function findDatabaseUsers(direct: DirectClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 0; ids.length < count && page < 10; page++) {
    const result = await direct.management.users.list({
      q: `identities.connection:"${DATABASE_CONNECTION}"`,
      search_engine: "v3",
      page,
      per_page: 100,
      fields: "user_id,identities,blocked",
      include_fields: true,
    });
    const users = result.data;
    if (users.length === 0) break;
    for (const user of users) {
      const primary = user.identities?.[0];
      if (user.user_id && user.blocked !== true && primary?.connection === DATABASE_CONNECTION && user.user_id.startsWith("auth0|")) ids.push(user.user_id);
    }
  }
  if (ids.length < count) throw new Error(`Only ${ids.length} database users found; the bench needs ${count}`);
  return ids.slice(0, count);
}

export type PasswordComparison = Comparison & { passdeskFailures: Record<string, number> };

export async function comparePasswordSet(
  passdesk: PassdeskClient,
  direct: DirectClient,
  users: readonly string[],
  options: { iterations: number; warmup: number },
): Promise<PasswordComparison> {
  const passdeskTimes: number[] = [];
  const directTimes: number[] = [];
  const failures: Record<string, number> = {};
  for (let index = 0; index < options.warmup + options.iterations; index++) {
    const passdeskUser = users[(2 * index) % users.length];
    const directUser = users[(2 * index + 1) % users.length];
    if (!passdeskUser || !directUser) throw new Error("no users");
    const [a, b] = await pair(
      index,
      async () => {
        const result = await passdesk.setPassword({ userId: passdeskUser, password: benchPassword(), reason: "Benchmark: proxy overhead" });
        if (!result.ok) failures[result.code ?? "unknown"] = (failures[result.code ?? "unknown"] ?? 0) + 1;
      },
      async () => {
        await direct.management.users.update(directUser, { password: benchPassword(), connection: DATABASE_CONNECTION });
      },
    );
    if (index >= options.warmup) {
      passdeskTimes.push(a);
      directTimes.push(b);
    }
  }
  return { ...compare(passdeskTimes, directTimes), passdeskFailures: failures };
}

export type ConcurrencyResult = {
  attempted: number;
  succeeded: number;
  failures: Record<string, number>;
  wallMs: number;
  latency: LatencySummary;
};

/** `users.length` password changes through Passdesk, all started at once, one per user. */
export async function concurrentPasswordChanges(passdesk: PassdeskClient, users: readonly string[]): Promise<ConcurrencyResult> {
  const failures: Record<string, number> = {};
  const latencies: number[] = [];
  let succeeded = 0;
  const started = performance.now();
  await Promise.all(
    users.map(async (userId) => {
      const { ms, value } = await timed(() =>
        passdesk.setPassword({ userId, password: benchPassword(), reason: "Benchmark: 50 simultaneous changes" }).catch(
          (error: unknown) => ({ ok: false, code: error instanceof Error ? error.name : "error", status: 0 }),
        ),
      );
      latencies.push(ms);
      if (value.ok) succeeded += 1;
      else failures[value.code ?? "unknown"] = (failures[value.code ?? "unknown"] ?? 0) + 1;
    }),
  );
  return { attempted: users.length, succeeded, failures, wallMs: round(performance.now() - started), latency: summarize(latencies) };
}

export type SearchBreakdown = {
  /** GET /api/health: HTTP, the proxy (middleware) and Next's routing; no session, no database. */
  health: LatencySummary;
  /** GET /api/users with an invalid page size: the session and operator check, then a 400 — no Auth0 call. */
  authenticatedNoUpstream: LatencySummary;
};

/** Where a Passdesk search's time goes, without the upstream call (interleaved). */
export async function searchBreakdown(passdesk: PassdeskClient, options: { iterations: number; warmup: number }): Promise<SearchBreakdown> {
  const health: number[] = [];
  const authenticated: number[] = [];
  for (let index = 0; index < options.warmup + options.iterations; index++) {
    const [a, b] = await pair(
      index,
      async () => {
        const status = await passdesk.probe("/api/health");
        if (status !== 200) throw new Error(`/api/health → ${status}`);
      },
      async () => {
        const status = await passdesk.probe("/api/users?q=x&perPage=7");
        if (status !== 400) throw new Error(`/api/users?perPage=7 → ${status} (expected 400 after the session check)`);
      },
    );
    if (index >= options.warmup) {
      health.push(a);
      authenticated.push(b);
    }
  }
  return { health: summarize(health), authenticatedNoUpstream: summarize(authenticated) };
}

/** 50 password PATCHes straight to the tenant at once: the baseline for the concurrency figure. */
export async function concurrentDirectChanges(direct: DirectClient, users: readonly string[]): Promise<{ wallMs: number; failed: number }> {
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    users.map((userId) =>
      direct.management.users.update(userId, { password: benchPassword(), connection: DATABASE_CONNECTION }).catch(() => {
        failed += 1;
      }),
    ),
  );
  return { wallMs: round(performance.now() - started), failed };
}

/** Many Passdesk searches, a few at a time: the token-reuse workload. */
export async function searchLoad(passdesk: PassdeskClient, count: number, concurrency: number): Promise<void> {
  await runPool(count, concurrency, async (index) => {
    const search = SEARCHES[index % SEARCHES.length] ?? SEARCHES[0];
    if (search) await passdesk.search({ q: search.q, field: search.field, perPage: 10 });
  });
}
