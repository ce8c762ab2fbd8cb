/**
 * Benchmark (not a test): user search over 100,000 seeded users through the real HTTPS
 * server, the way the app calls it. Prints p50/p95 per query.
 *   npx tsx tenant/bench/search.ts [users=100000] [iterations=30]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch } from "undici";
import { DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET } from "../src/demo-credentials.ts";
import { startTenant } from "../src/server.ts";

const QUERIES = [
  'email:"alice.demo@example.com"',
  "email:jam*",
  'name:"Smith"',
  'identities.connection:"google-oauth2"',
  'email.domain:"example.jp" AND logins_count:[10 TO 200]',
  "blocked:true OR NOT _exists_:last_login",
  "山田",
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 100_000);
  const iterations = Number(process.argv[3] ?? 30);
  const dataDir = await mkdtemp(join(tmpdir(), "passdesk-bench-"));
  const started = performance.now();
  const tenant = await startTenant({ port: 0, dataDir, users, rateLimits: { disabled: true } });
  console.log(`tenant with ${users} users started in ${(performance.now() - started).toFixed(0)} ms`);
  const dispatcher = new Agent({ connect: { ca: tenant.caPem } });
  try {
    const tokenResponse = await fetch(`${tenant.url}/oauth/token`, {
      method: "POST",
      dispatcher,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: DEMO_M2M_CLIENT_ID,
        client_secret: DEMO_M2M_CLIENT_SECRET,
        audience: `${tenant.url}/api/v2/`,
      }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const all: number[] = [];
    console.log("query".padEnd(60), "p50 ms".padStart(8), "p95 ms".padStart(8), "total".padStart(7));
    for (const q of QUERIES) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < iterations; i++) {
        const t0 = performance.now();
        const response = await fetch(
          `${tenant.url}/api/v2/users?q=${encodeURIComponent(q)}&search_engine=v3&per_page=50&include_totals=true&sort=last_login:-1`,
          {
            dispatcher,
            headers: { authorization: `Bearer ${token}` },
          },
        );
        total = ((await response.json()) as { total: number }).total;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      console.log(
        q.padEnd(60),
        percentile(times, 50).toFixed(1).padStart(8),
        percentile(times, 95).toFixed(1).padStart(8),
        String(total).padStart(7),
      );
    }
    all.sort((a, b) => a - b);
    console.log(
      "all queries".padEnd(60),
      percentile(all, 50).toFixed(1).padStart(8),
      percentile(all, 95).toFixed(1).padStart(8),
    );
  } finally {
    await tenant.close();
    await dispatcher.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
