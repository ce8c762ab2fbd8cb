/**
 * Bulk CSV preview figure (issue 17), run in a child with `tsx --conditions=react-server`: an
 * in-process local tenant seeded with `users` users and a CSV of `rows` emails (seeded users'
 * addresses, then unknown ones). Measures the batched preview (lib/bulk/preview.ts, the app's
 * path) over all rows at the tenant's default (Auth0-like) rate limits — users:read 40 burst,
 * 500/min — and with no limit; the one-by-one lookups it replaced over the first `eachRows` rows
 * with no limit (extrapolated to all rows) and at the default limits (where they meet 429s);
 * and checks that both give the same rows. Auth0 calls are the tenant's request counters.
 * Input: one JSON argument (PreviewBenchInput). Output: one JSON line (PreviewBenchOutput).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { createManagementApi } from "@/lib/auth0";
import { resetAuth0BusyGates } from "@/lib/auth0/busy-gate";
import { chunkLookupQueries } from "@/lib/auth0/lookup";
import { resetRateLimitObservations } from "@/lib/auth0/rate-limit-headers";
import { countPreview, type PreviewCounts } from "@/lib/bulk/operations";
import { previewBulkSource, type PreviewOptions } from "@/lib/bulk/preview";
import { runJsonChildMain } from "./lib/processes";
import { round } from "./lib/stats";

export type PreviewBenchInput = { users: number; rows: number; eachRows: number };

/** Calls are what reached the tenant, 429s and their retries included: more than the queries means retries. */
type Run = { rows: number; sec: number; rowsPerSec: number; auth0Calls: number; searches: number; byEmail: number; rateLimited429: number };

export type PreviewBenchOutput = {
  users: number;
  rows: number;
  counts: PreviewCounts;
  /** Searches the batched preview needs without any retry: one per chunk of 100 values. */
  batchedQueries: number;
  batched: Run;
  batchedNoLimit: Run;
  oneByOneNoLimit: Run & { extrapolatedSecForAllRows: number };
  /** The one-by-one preview of eachRows rows at the default limits: its figures, or why it failed. */
  oneByOne: Run | { failed: string; sec: number };
  /** The batched preview's rows for the first eachRows rows equal the one-by-one rows. */
  sameRows: boolean;
};

type StartTenant = (options: {
  port: number;
  dataDir: string;
  users: number;
  persist: boolean;
  seedAnchor: number;
}) => Promise<{ url: string; domain: string; caPem: string; controlToken: string; close(): Promise<void> }>;
type SeedTenant = (seed: number, users: number, hash: string, anchor: number) => { users: { email?: string }[] };

async function main(): Promise<PreviewBenchOutput> {
  const input = JSON.parse(process.argv[2] ?? "{}") as PreviewBenchInput;
  const { startTenant } = (await import("../tenant/src/server.ts" as string)) as { startTenant: StartTenant };
  const { seedTenant } = (await import("../tenant/src/seed.ts" as string)) as { seedTenant: SeedTenant };
  const dataDir = await mkdtemp(join(tmpdir(), "passdesk-bench-preview-"));
  const seedAnchor = Date.UTC(2026, 0, 1);
  const tenant = await startTenant({ port: 0, dataDir, users: input.users, persist: false, seedAnchor });
  const api = createManagementApi({ domain: tenant.domain, clientId: "passdesk-demo-m2m", clientSecret: "passdesk-demo-m2m-secret", caPem: tenant.caPem, timeoutMs: 10_000 });
  const { Agent, fetch } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: tenant.caPem } });
  const requests = async () =>
    (
      (await (
        await fetch(`${tenant.url}/__control/stats`, { dispatcher, headers: { authorization: `Bearer ${tenant.controlToken}` } })
      ).json()) as { requests: Record<string, number>; rateLimited: Record<string, number> }
    );
  try {
    // The same addresses the tenant seeded (same seed and anchor), each once, then unknown ones.
    const seen = new Set<string>();
    const emails: string[] = [];
    for (const user of seedTenant(42, input.users, "unused", seedAnchor).users) {
      const email = user.email?.toLowerCase();
      if (!email || seen.has(email) || emails.length >= input.rows) continue;
      seen.add(email);
      emails.push(email);
    }
    for (let i = 0; emails.length < input.rows; i++) emails.push(`nobody-${i}@bench.passdesk.test`);
    const csv = (values: readonly string[]) => ({
      kind: "csv" as const,
      fileName: "bench.csv",
      contentBase64: Buffer.from(`email\n${values.join("\n")}\n`, "utf8").toString("base64"),
    });

    async function measure(values: readonly string[], options: PreviewOptions) {
      const before = await requests();
      const started = performance.now();
      const preview = await previewBulkSource(api, csv(values), "password.reset_email", options);
      const sec = (performance.now() - started) / 1000;
      const after = await requests();
      if (!preview.ok) throw new Error(JSON.stringify(preview.problem));
      const delta = (route: string) => (after.requests[route] ?? 0) - (before.requests[route] ?? 0);
      const all = Object.keys(after.requests).filter((route) => route.includes("/api/v2/"));
      const limited = (stats: typeof after) => Object.values(stats.rateLimited).reduce((sum, n) => sum + n, 0);
      const run: Run = {
        rows: values.length,
        sec: round(sec, 1),
        rowsPerSec: round(values.length / sec, 1),
        auth0Calls: all.reduce((sum, route) => sum + delta(route), 0),
        searches: delta("GET /api/v2/users"),
        byEmail: delta("GET /api/v2/users-by-email"),
        rateLimited429: limited(after) - limited(before),
      };
      return { run, rows: preview.rows };
    }

    const limits = async (body: unknown) => {
      await fetch(`${tenant.url}/__control/rate-limits`, {
        method: "PUT",
        dispatcher,
        headers: { authorization: `Bearer ${tenant.controlToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      resetAuth0BusyGates();
      resetRateLimitObservations();
    };
    const sample = emails.slice(0, input.eachRows);
    await limits({ reset: true });
    const batched = await measure(emails, { lookup: "batch" });
    await limits({ disabled: true });
    const batchedNoLimit = await measure(emails, { lookup: "batch" });
    const oneByOneNoLimit = await measure(sample, { lookup: "each" });
    await limits({ reset: true });
    const started = performance.now();
    const oneByOne = await measure(sample, { lookup: "each" }).then(
      (result) => result.run,
      (error: unknown) => ({ failed: error instanceof Error ? error.message : String(error), sec: round((performance.now() - started) / 1000, 1) }),
    );
    const output: PreviewBenchOutput = {
      users: input.users,
      rows: emails.length,
      counts: countPreview(batched.rows),
      batchedQueries: chunkLookupQueries("email", emails).length,
      batched: batched.run,
      batchedNoLimit: batchedNoLimit.run,
      oneByOneNoLimit: {
        ...oneByOneNoLimit.run,
        extrapolatedSecForAllRows: round((oneByOneNoLimit.run.sec / sample.length) * emails.length, 0),
      },
      oneByOne,
      sameRows:
        isDeepStrictEqual(batched.rows, batchedNoLimit.rows) &&
        isDeepStrictEqual(batched.rows.slice(0, sample.length), oneByOneNoLimit.rows),
    };
    return output;
  } finally {
    await api.close();
    await dispatcher.close();
    await tenant.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

runJsonChildMain(main);
