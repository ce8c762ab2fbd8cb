import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Agent, fetch as undiciFetch } from "undici";
import { installCleanupHandlers, startManaged, stopManaged, tailLog, TSX, ROOT } from "./lib/processes";
import { summarize, type LatencySummary } from "./lib/stats";
import { M2M_CLIENT_ID, M2M_CLIENT_SECRET } from "./lib/tenant";

/**
 * Figure 6: the local tenant's user search with many users, through its real HTTPS server the
 * way the app calls it, in its own tenant process so the app's tenant stays small and nothing
 * else competes for the CPU. `npm run bench` runs it; alone (p50/p95 per query):
 *   npx tsx bench/tenant-search.ts [users=100000] [iterations=30]
 */

const QUERIES = [
  'email:"alice.demo@example.com"',
  "email:jam*",
  'name:"Smith"',
  'identities.connection:"google-oauth2"',
  'email.domain:"example.jp" AND logins_count:[10 TO 200]',
  "blocked:true OR NOT _exists_:last_login",
  "山田",
];

export type TenantSearchFigures = {
  users: number;
  startSec: number;
  all: LatencySummary;
  perQuery: { q: string; total: number; latency: LatencySummary }[];
};

export async function measureTenantSearch(options: {
  users: number;
  iterations: number;
  port: number;
  dataDir: string;
  logFile: string;
}): Promise<TenantSearchFigures> {
  const started = performance.now();
  const tenant = startManaged("tenant (search)", TSX, [path.join(ROOT, "tenant", "src", "main.ts")], {
    env: { ...process.env, TENANT_PORT: String(options.port), DATA_DIR: options.dataDir, TENANT_USERS: String(options.users) },
    logFile: options.logFile,
  });
  const url = `https://localhost:${options.port}`;
  let dispatcher: Agent | undefined;
  try {
    const deadline = Date.now() + 120_000;
    let exitCode: number | undefined;
    void tenant.exited.then((code) => (exitCode = code));
    for (;;) {
      if (exitCode !== undefined) throw new Error(`The search tenant exited (code ${exitCode}):\n${tailLog(options.logFile)}`);
      if (Date.now() > deadline) throw new Error(`The search tenant did not start:\n${tailLog(options.logFile)}`);
      try {
        const caPem = readFileSync(path.join(options.dataDir, "tenant", "ca.pem"), "utf8");
        dispatcher ??= new Agent({ connect: { ca: caPem } });
        const health = await undiciFetch(`${url}/__control/health`, { dispatcher });
        if (health.ok) break;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const startSec = (performance.now() - started) / 1000;
    await undiciFetch(`${url}/__control/rate-limits`, {
      method: "PUT",
      dispatcher,
      headers: { Authorization: "Bearer passdesk-demo-control", "Content-Type": "application/json" },
      body: JSON.stringify({ disabled: true }),
    });
    const tokenResponse = await undiciFetch(`${url}/oauth/token`, {
      method: "POST",
      dispatcher,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: M2M_CLIENT_ID,
        client_secret: M2M_CLIENT_SECRET,
        audience: `${url}/api/v2/`,
      }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const search = async (q: string): Promise<number> => {
      const response = await undiciFetch(
        `${url}/api/v2/users?q=${encodeURIComponent(q)}&search_engine=v3&per_page=50&include_totals=true&sort=last_login:-1`,
        { dispatcher, headers: { Authorization: `Bearer ${token}` } },
      );
      if (!response.ok) throw new Error(`search ${q} → ${response.status}`);
      return ((await response.json()) as { total: number }).total;
    };
    for (const q of QUERIES) await search(q); // warm-up
    const perQuery: TenantSearchFigures["perQuery"] = [];
    const samples = new Map<string, number[]>(QUERIES.map((q) => [q, []]));
    const totals = new Map<string, number>();
    // Round-robin over the queries, so a slow phase of the machine does not land on one query.
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      for (const q of QUERIES) {
        const t0 = performance.now();
        totals.set(q, await search(q));
        samples.get(q)?.push(performance.now() - t0);
      }
    }
    for (const q of QUERIES) perQuery.push({ q, total: totals.get(q) ?? 0, latency: summarize(samples.get(q) ?? []) });
    return {
      users: options.users,
      startSec: Math.round(startSec * 10) / 10,
      all: summarize([...samples.values()].flat()),
      perQuery,
    };
  } finally {
    await dispatcher?.close();
    await stopManaged(tenant);
  }
}

/** `npx tsx bench/tenant-search.ts [users] [iterations]`: this figure alone, as a table. */
async function runAlone(): Promise<void> {
  installCleanupHandlers();
  const users = Number(process.argv[2] ?? 100_000);
  const iterations = Number(process.argv[3] ?? 30);
  const workDir = mkdtempSync(path.join(os.tmpdir(), "passdesk-bench-search-"));
  try {
    const figures = await measureTenantSearch({
      users,
      iterations,
      port: Number(process.env.BENCH_SEARCH_TENANT_PORT || 4844),
      dataDir: path.join(workDir, "data"),
      logFile: path.join(workDir, "tenant.log"),
    });
    console.log(`tenant with ${users} users started in ${figures.startSec} s`);
    console.log("query".padEnd(60), "p50 ms".padStart(8), "p95 ms".padStart(8), "total".padStart(7));
    for (const { q, total, latency } of figures.perQuery)
      console.log(q.padEnd(60), latency.p50.toFixed(1).padStart(8), latency.p95.toFixed(1).padStart(8), String(total).padStart(7));
    console.log("all queries".padEnd(60), figures.all.p50.toFixed(1).padStart(8), figures.all.p95.toFixed(1).padStart(8));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAlone().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
