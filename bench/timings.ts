/**
 * Figure 8: the durations tests used to assert (a test asserts what happens; how long it takes is
 * measured here and printed with its goal). Run in a child with `tsx --conditions=react-server`
 * (lib/auth0 imports "server-only"); prints one JSON line (TimingFigures) on stdout.
 *   - the tenant's Lucene engine on hostile and large input (was tenant/src/lucene/lucene.test.ts);
 *   - the tenant's delay fault holds an answer for the configured time (was
 *     tenant/test/reliability.test.ts);
 *   - Passdesk's Management API client gives up on a tenant that never answers after its timeout
 *     (was test/integration/auth0/users.test.ts).
 */
import { createManagementApi } from "@/lib/auth0/client";
import { searchUsers } from "@/lib/auth0/users";
import { startLocalTenant } from "../test/integration/auth0/local-tenant";
import { matchesLucene, parseLucene } from "../tenant/src/lucene/index";
import { SYNTHETIC_QUERY, syntheticUsers } from "../tenant/src/lucene/synthetic";
import { round } from "./lib/stats";

export type TimingFigure = {
  /** Stable key in bench/results/latest.json. */
  key: string;
  label: string;
  ms: number;
  goal: { atMostMs?: number; atLeastMs?: number };
};

export type TimingFigures = { figures: TimingFigure[] };

/** The slowest of `runs` runs (after one warm-up): a budget holds for every run, not the median. */
function slowest(runs: number, work: () => void): number {
  work();
  let worst = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    worst = Math.max(worst, performance.now() - started);
  }
  return round(worst);
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work().catch(() => undefined);
  return round(performance.now() - started);
}

const SMALL_USERS: Record<string, unknown>[] = [
  { user_id: "auth0|1", email: "jane.smith@example.com", name: "Jane Smith", logins_count: 3 },
  { user_id: "auth0|2", email: "taro@example.jp", name: "山田 太郎", logins_count: 0, blocked: true },
];

function luceneFigures(): TimingFigure[] {
  const clauses = Array.from({ length: 200 }, (_, i) => `email:u${i}@x.io`).join(" OR ").slice(0, 2000);
  const longQuery = clauses.slice(0, clauses.lastIndexOf(" OR "));
  const wildcards = parseLucene(`name:aaa${"*a".repeat(600)}*b`);
  const hostile = [
    '"'.repeat(2000),
    "\\".repeat(2000),
    ":".repeat(2000),
    "[".repeat(2000),
    "*".repeat(2000),
    "😀".repeat(1000),
    'a:(b "c\\ [1 TO 2] && ||'.repeat(80),
  ];
  const many = syntheticUsers(100_000);
  const manyQuery = parseLucene(SYNTHETIC_QUERY);
  return [
    {
      key: "lucene.longQuery",
      label: "Lucene: parse + match a 2,000-character query of 200 clauses (slowest of 5)",
      ms: slowest(5, () => SMALL_USERS.forEach((user) => matchesLucene(parseLucene(longQuery), user))),
      goal: { atMostMs: 500 },
    },
    {
      key: "lucene.pathologicalWildcards",
      label: "Lucene: 600 wildcards against a 2,000-character name (slowest of 5)",
      ms: slowest(5, () => matchesLucene(wildcards, { name: "a".repeat(2000) })),
      goal: { atMostMs: 1000 },
    },
    {
      key: "lucene.hostileInput",
      label: "Lucene: worst of 7 hostile 2,000-character inputs, parse or syntax error (slowest of 3)",
      ms: Math.max(
        ...hostile.map((query) =>
          slowest(3, () => {
            try {
              const node = parseLucene(query);
              for (const user of SMALL_USERS) matchesLucene(node, user);
            } catch {
              // a LuceneSyntaxError is an answer too
            }
          }),
        ),
      ),
      goal: { atMostMs: 500 },
    },
    {
      key: "lucene.hundredThousandUsers",
      label: "Lucene: one query against 100,000 users (slowest of 3)",
      ms: slowest(3, () => many.forEach((user) => matchesLucene(manyQuery, user))),
      goal: { atMostMs: 2000 },
    },
  ];
}

const DELAY_MS = 400;
const CLIENT_TIMEOUT_MS = 500;

async function tenantFigures(): Promise<TimingFigure[]> {
  const tenant = await startLocalTenant(50);
  const api = createManagementApi({
    domain: tenant.domain,
    clientId: "passdesk-demo-m2m",
    clientSecret: "passdesk-demo-m2m-secret",
    caPem: tenant.caPem,
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
  try {
    const search = () => searchUsers({ field: "email", text: "", page: 1, perPage: 10 }, api);
    await search(); // token and connection warm-up
    await tenant.control("POST", "/__control/faults", { path: "/api/v2/connections", action: { type: "delay", ms: DELAY_MS } });
    const delayed = await timed(() => tenant.control("GET", "/api/v2/connections"));
    await tenant.control("DELETE", "/__control/faults");
    await tenant.control("POST", "/__control/faults", { path: "/api/v2/users", method: "GET", action: { type: "hang" } });
    const hanging = await timed(search);
    await tenant.control("DELETE", "/__control/faults");
    return [
      {
        key: "tenant.delayFault",
        label: `Tenant fault "delay ${DELAY_MS} ms": time to the answer`,
        ms: delayed,
        goal: { atLeastMs: DELAY_MS, atMostMs: DELAY_MS + 100 },
      },
      {
        key: "auth0.hangTimeout",
        label: `Passdesk's search gives up on a tenant that never answers (timeout ${CLIENT_TIMEOUT_MS} ms, one retry at most)`,
        ms: hanging,
        goal: { atMostMs: 5000 },
      },
    ];
  } finally {
    await api.close();
    await tenant.close();
  }
}

async function main(): Promise<void> {
  const figures = [...luceneFigures(), ...(await tenantFigures())];
  process.stdout.write(`${JSON.stringify({ figures } satisfies TimingFigures)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
