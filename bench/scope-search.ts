/**
 * Scoped search figure (issue 16), run in a child with `tsx --conditions=react-server`: the
 * users-search bench's searches (bench/proxy.ts SEARCHES, plus one Lucene query) through
 * lib/auth0 `searchUsers` the way lib/users/search.ts runs them — `resolveScope` then the
 * search — with no scope, an EU filter scope, a connection scope and an organization scope.
 * Variants are interleaved (each search is run by every variant in turn, the first variant
 * rotating) so drift hits all alike. The organization's member list is cached for
 * MEMBERS_TTL_MS (30 s): a sample that had to read it is "cold", the others "warm"; after the
 * interleaved run, `coldSamples` more cold ones (member cache cleared before each).
 *
 * Input: one JSON argument (ScopeSearchInput); `domain` + `caPem` name a running local tenant
 * (npm run bench passes the app's), without them an in-process tenant of `users` users is
 * started (alone: `npx tsx --conditions=react-server bench/scope-search.ts '{"users":5000}'`;
 * the tenant then shares this process, so latencies are not comparable with the bench's).
 * Output: one JSON line (ScopeSearchFigures).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createManagementApi, searchUsers, type ManagementApi } from "@/lib/auth0";
import { listOrganizationMembers, listOrganizations } from "@/lib/auth0/organizations";
import type { SearchField } from "@/lib/auth0/lucene";
import { resolveScope } from "@/lib/scope/resolve";
import type { OperatorScope } from "@/lib/scope/types";
import { runJsonChildMain } from "./lib/processes";
import { round, summarize, timed, type LatencySummary } from "./lib/stats";
import { DATABASE_CONNECTION, SEARCHES as USER_SEARCHES } from "./proxy";

export type ScopeSearchInput = {
  domain?: string;
  caPem?: string;
  /** The tenant's size (reported; the in-process tenant is seeded with it). */
  users: number;
  iterations: number;
  warmup: number;
  coldSamples: number;
};

type VariantName = "none" | "euFilter" | "connection" | "organization";

export type ScopeSearchFigures = {
  users: number;
  /** Each variant's scope as stored (the organization by name and id). */
  scopes: Record<Exclude<VariantName, "none">, string>;
  /** Organization members in the organization scope's clause. */
  organizationMembers: number;
  searches: string[];
  unscoped: LatencySummary;
  euFilter: LatencySummary;
  connection: LatencySummary;
  /** Samples that found the member list in the cache. */
  organizationWarm: LatencySummary;
  /** Samples that read the member list (GET /organizations/{id}/members): interleaved refreshes + coldSamples. */
  organizationCold: LatencySummary;
  /** scoped p50 / unscoped p50 */
  p50Ratio: { euFilter: number; connection: number; organizationWarm: number; organizationCold: number };
  /** Of each p50, the part resolveScope took (the rest is the search call: HTTP and the tenant's query). */
  resolveP50: { unscoped: number; euFilter: number; connection: number; organizationWarm: number; organizationCold: number };
  /** Results (total) per search and variant, first run: a scope narrows the answer. */
  totals: Record<string, Record<VariantName, number>>;
};

const SEARCHES: readonly { q: string; field: SearchField }[] = [
  ...USER_SEARCHES,
  { q: 'email.domain:"example.jp" AND logins_count:[10 TO 200]', field: "lucene" },
];

/** The ManagementApi with its `cached` loads counted (to tell cold samples from warm ones). */
function countingLoads(api: ManagementApi): { api: ManagementApi; loads: () => number } {
  let loads = 0;
  const counted: ManagementApi = {
    ...api,
    cached: (key, ttlMs, load) =>
      api.cached(key, ttlMs, () => {
        if (key.startsWith("scope-members:")) loads += 1;
        return load();
      }),
  };
  return { api: counted, loads: () => loads };
}

type StartTenant = (options: { port: number; dataDir: string; users: number; persist: boolean }) => Promise<{
  url: string;
  domain: string;
  caPem: string;
  controlToken: string;
  close(): Promise<void>;
}>;

async function main(): Promise<ScopeSearchFigures> {
  const input = { iterations: 200, warmup: 20, coldSamples: 30, users: 5000, ...(JSON.parse(process.argv[2] ?? "{}") as Partial<ScopeSearchInput>) };
  let closeTenant = async () => undefined as void;
  let tenant = input.domain && input.caPem ? { domain: input.domain, caPem: input.caPem } : undefined;
  if (!tenant) {
    const { startTenant } = (await import("../tenant/src/server.ts" as string)) as { startTenant: StartTenant };
    const dataDir = await mkdtemp(join(tmpdir(), "passdesk-bench-scope-"));
    const started = await startTenant({ port: 0, dataDir, users: input.users, persist: false });
    tenant = started;
    // As npm run bench runs the app's tenant: no rate limits (this measures latency, not 429s).
    const { Agent, fetch } = await import("undici");
    const dispatcher = new Agent({ connect: { ca: started.caPem } });
    await fetch(`${started.url}/__control/rate-limits`, {
      method: "PUT",
      dispatcher,
      headers: { authorization: `Bearer ${started.controlToken}`, "content-type": "application/json" },
      body: JSON.stringify({ disabled: true }),
    });
    await dispatcher.close();
    closeTenant = async () => {
      await started.close();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const base = createManagementApi({ domain: tenant.domain, clientId: "passdesk-demo-m2m", clientSecret: "passdesk-demo-m2m-secret", caPem: tenant.caPem, timeoutMs: 10_000 });
  const { api, loads } = countingLoads(base);
  try {
    const acme = (await listOrganizations(api)).find((organization) => organization.name === "acme");
    if (!acme) throw new Error("The tenant has no organization acme");
    const scopes: Record<VariantName, OperatorScope | null> = {
      none: null,
      euFilter: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' },
      connection: { connections: [DATABASE_CONNECTION], organizations: [], filter: null },
      organization: { connections: [], organizations: [acme.id], filter: null },
    };
    const variants = Object.keys(scopes) as VariantName[];
    const totals: ScopeSearchFigures["totals"] = {};

    /** One search as the app runs it for an operator with this scope: resolve, then search. */
    const run = async (variant: VariantName, search: { q: string; field: SearchField }) => {
      const loadsBefore = loads();
      let resolveMs = 0;
      const { ms, value } = await timed(async () => {
        const resolved = await timed(() => resolveScope(scopes[variant], api));
        resolveMs = resolved.ms;
        return searchUsers({ field: search.field, text: search.q, page: 1, perPage: 50, scope: resolved.value }, api);
      });
      const row = (totals[search.q] ??= {} as Record<VariantName, number>);
      row[variant] ??= value.total;
      return { ms, resolveMs, cold: loads() > loadsBefore };
    };

    type Bucket = VariantName | "organizationCold";
    const samples: Record<Bucket, number[]> = { none: [], euFilter: [], connection: [], organization: [], organizationCold: [] };
    const resolveSamples: Record<Bucket, number[]> = { none: [], euFilter: [], connection: [], organization: [], organizationCold: [] };
    const keep = (bucket: Bucket, sample: { ms: number; resolveMs: number }) => {
      samples[bucket].push(sample.ms);
      resolveSamples[bucket].push(sample.resolveMs);
    };
    for (let index = 0; index < input.warmup + input.iterations; index++) {
      const search = SEARCHES[index % SEARCHES.length];
      if (!search) throw new Error("no searches");
      for (let step = 0; step < variants.length; step++) {
        const variant = variants[(index + step) % variants.length] as VariantName;
        const sample = await run(variant, search);
        if (index < input.warmup) continue;
        keep(variant === "organization" && sample.cold ? "organizationCold" : variant, sample);
      }
    }
    // The first search after the member cache expired, `coldSamples` times.
    for (let index = 0; index < input.coldSamples; index++) {
      base.clearCache();
      const sample = await run("organization", SEARCHES[index % SEARCHES.length] ?? USER_SEARCHES[0]!);
      if (!sample.cold) throw new Error("The organization scope did not read its members after the cache was cleared");
      keep("organizationCold", sample);
    }

    const unscoped = summarize(samples.none);
    const figures = {
      euFilter: summarize(samples.euFilter),
      connection: summarize(samples.connection),
      organizationWarm: summarize(samples.organization),
      organizationCold: summarize(samples.organizationCold),
    };
    const ratio = (summary: LatencySummary) => round(summary.p50 / unscoped.p50, 3);
    return {
      users: input.users,
      scopes: {
        euFilter: scopes.euFilter?.filter ?? "",
        connection: `connections: ${DATABASE_CONNECTION}`,
        organization: `organizations: acme (${acme.id})`,
      },
      organizationMembers: (await listOrganizationMembers(acme.id, base)).length,
      searches: SEARCHES.map((search) => `${search.field}: ${search.q}`),
      unscoped,
      ...figures,
      p50Ratio: {
        euFilter: ratio(figures.euFilter),
        connection: ratio(figures.connection),
        organizationWarm: ratio(figures.organizationWarm),
        organizationCold: ratio(figures.organizationCold),
      },
      resolveP50: {
        unscoped: summarize(resolveSamples.none).p50,
        euFilter: summarize(resolveSamples.euFilter).p50,
        connection: summarize(resolveSamples.connection).p50,
        organizationWarm: summarize(resolveSamples.organization).p50,
        organizationCold: summarize(resolveSamples.organizationCold).p50,
      },
      totals,
    };
  } finally {
    await base.close();
    await closeTenant();
  }
}

runJsonChildMain(main);
