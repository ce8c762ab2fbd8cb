/**
 * `npm run bench` — the performance report of issue 8. Builds if needed, starts the local tenant
 * and the production app (scripts/demo.ts), measures, writes bench/results/latest.json and
 * prints a Markdown table on stdout (progress goes to stderr).
 *
 *   npm run bench               full sizes (under 10 minutes on 2 cores)
 *   npm run bench -- --quick    small sizes for CI: keeps the harness working, judges no speed
 *   --no-build                  use the existing build even if sources are newer
 *
 * Environment: PASSDESK_DIST_DIR (build folder, default .next), BENCH_APP_PORT (3500),
 * BENCH_TENANT_PORT (4843), BENCH_SEARCH_TENANT_PORT (4844), BENCH_DATABASE_URL or
 * TEST_DATABASE_URL (PostgreSQL for the audit figures; .ci/postgres.sh's URL is tried too).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { isBuildStale } from "../scripts/lib/build";
import type { AuditBenchInput, AuditBenchOutput } from "./audit";
import type { BulkBenchInput, BulkBenchOutput } from "./bulk";
import type { PreviewBenchInput, PreviewBenchOutput } from "./bulk-preview";
import { measureFirstLoadJs } from "./bundle";
import { findServerAction, signInToPassdesk, type PassdeskClient } from "./lib/passdesk";
import { installCleanupHandlers, removeOnExit, ROOT, runManaged, tailLog, TSX } from "./lib/processes";
import { startStack, type Stack } from "./lib/stack";
import { round } from "./lib/stats";
import { createDirectClient, createTenantControl, managementRequests, type DirectClient, type TenantControl } from "./lib/tenant";
import {
  benchPassword,
  comparePasswordSet,
  compareSearch,
  concurrentDirectChanges,
  concurrentPasswordChanges,
  findDatabaseUsers,
  searchBreakdown,
  searchLoad,
} from "./proxy";
import { measureProfile, type ProfileFigures } from "./profile";
import { checkGoals, renderMarkdown, type BenchResults, type Skipped } from "./report";
import type { ScopeSearchFigures, ScopeSearchInput } from "./scope-search";
import { measureTenantSearch } from "./tenant-search";
import type { TimingFigures } from "./timings";

const isQuick = process.argv.includes("--quick");

const SIZES = isQuick
  ? { searchPairs: 30, searchWarmup: 5, passwordPairs: 8, passwordWarmup: 2, remotePairs: 10, tokenLoad: 300, concurrent: 10, appUsers: 2000, appends: 200, auditEvents: 20_000, auditQueries: 50, searchTenantUsers: 5_000, searchIterations: 5, scopedRounds: 20, scopedWarmup: 3, scopedCold: 5 }
  : { searchPairs: 200, searchWarmup: 20, passwordPairs: 40, passwordWarmup: 5, remotePairs: 40, tokenLoad: 1_000, concurrent: 50, appUsers: 5000, appends: 1_000, auditEvents: 1_000_000, auditQueries: 200, searchTenantUsers: 100_000, searchIterations: 30, scopedRounds: 100, scopedWarmup: 10, scopedCold: 20 };

const DIST_DIR = process.env.PASSDESK_DIST_DIR || ".next";
const APP_PORT = Number(process.env.BENCH_APP_PORT || 3500);
const TENANT_PORT = Number(process.env.BENCH_TENANT_PORT || 4843);
const SEARCH_TENANT_PORT = Number(process.env.BENCH_SEARCH_TENANT_PORT || 4844);
const MIN_TOKEN_OPERATIONS = 1_000;
/** Added to every Management API call to emulate a tenant across a network (see the report). */
const REMOTE_LATENCY_MS = 100;
const DEFAULT_POSTGRES_URL = "postgresql://passdesk:passdesk@127.0.0.1:5432/passdesk";
const ADMIN = { email: "admin@passdesk.test", password: process.env.DEMO_OPERATOR_PASSWORD || "passdesk-demo" };

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`Port ${port} is in use; set BENCH_APP_PORT / BENCH_TENANT_PORT / BENCH_SEARCH_TENANT_PORT`)));
    server.listen(port, () => server.close(() => resolve()));
  });
}

async function buildIfNeeded(logDir: string): Promise<void> {
  process.env.PASSDESK_DIST_DIR = DIST_DIR;
  if (process.argv.includes("--no-build") && existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID"))) {
    progress(`--no-build: using the existing build in ${DIST_DIR}`);
    return;
  }
  if (!isBuildStale()) {
    progress(`build in ${DIST_DIR} is up to date`);
    return;
  }
  progress(`building into ${DIST_DIR} (next build; a few minutes on 2 cores)…`);
  const logFile = path.join(logDir, "build.log");
  const code = await runManaged("next build", path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
    env: { ...process.env, PASSDESK_DIST_DIR: DIST_DIR, NODE_ENV: "production" },
    logFile,
  });
  if (code !== 0) throw new Error(`next build failed (code ${code}):\n${tailLog(logFile, 40)}`);
}

/** Management API requests Passdesk made while `work` ran (the tenant's count minus the direct client's). */
async function countingUpstream<T>(control: TenantControl, direct: DirectClient, work: () => Promise<T>): Promise<{ value: T; calls: number }> {
  const before = managementRequests(await control.stats()) - direct.counts.managementRequests;
  const value = await work();
  const after = managementRequests(await control.stats()) - direct.counts.managementRequests;
  return { value, calls: after - before };
}

const ROUTE_PROBE_OPERATIONS = 5;

/** Management API requests by route per operation, for `operations` Passdesk-only operations. */
async function passdeskUpstreamRoutes(control: TenantControl, work: () => Promise<unknown>, operations: number): Promise<Record<string, number>> {
  const before = (await control.stats()).requests;
  await work();
  const after = (await control.stats()).requests;
  const perOperation: Record<string, number> = {};
  for (const [route, count] of Object.entries(after)) {
    const delta = count - (before[route] ?? 0);
    if (delta > 0 && /^[A-Z]+ \/api\/v2\//.test(route)) perOperation[route] = round(delta / operations, 2);
  }
  return perOperation;
}

async function verifyChainOf(dataDir: string, logFile: string): Promise<{ intact: boolean; events: number | null }> {
  const code = await runManaged("audit:verify", TSX, ["--conditions=react-server", path.join(ROOT, "scripts", "audit-verify.ts")], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "production" },
    logFile,
    timeoutMs: 120_000,
  });
  const output = tailLog(logFile, 5);
  if (code === 2) throw new Error(`audit:verify could not run:\n${output}`);
  const events = /Audit chain intact: (\d+) events/.exec(output)?.[1];
  return { intact: code === 0, events: events === undefined ? null : Number(events) };
}

/** Runs a bench script in a child with `--conditions=react-server` and reads the JSON line it prints last. */
async function runJsonChild<T>(script: string, args: string[], logFile: string, timeoutMs: number): Promise<T> {
  const outputFile = `${logFile}.json`;
  const code = await runManaged(
    `bench/${script}`,
    "/bin/sh",
    ["-c", `out="$1"; shift; exec "$0" --conditions=react-server "$@" > "$out"`, TSX, outputFile, path.join(ROOT, "bench", script), ...args],
    { env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn" }, logFile, timeoutMs },
  );
  if (code !== 0) throw new Error(`bench/${script} failed (code ${code}):\n${tailLog(logFile, 40)}`);
  const lines = readFileSync(outputFile, "utf8").trim().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "") as T;
}

async function runAuditChild(logFile: string, pgliteDirectory: string): Promise<AuditBenchOutput> {
  removeOnExit(pgliteDirectory);
  const input: AuditBenchInput = {
    pgliteDirectory,
    appends: SIZES.appends,
    concurrency: 50,
    events: SIZES.auditEvents,
    queries: SIZES.auditQueries,
    postgresUrls: [process.env.BENCH_DATABASE_URL, process.env.TEST_DATABASE_URL, DEFAULT_POSTGRES_URL].filter(
      (url): url is string => typeof url === "string" && url !== "",
    ),
  };
  return runJsonChild<AuditBenchOutput>("audit.ts", [JSON.stringify(input)], logFile, 8 * 60_000);
}

async function main(): Promise<number> {
  installCleanupHandlers();
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();
  const workDir = mkdtempSync(path.join(os.tmpdir(), "passdesk-bench-"));
  const logDir = path.join(workDir, "logs");
  mkdirSync(logDir);
  progress(`${isQuick ? "quick" : "full"} run; logs in ${logDir}`);
  for (const port of [APP_PORT, TENANT_PORT, SEARCH_TENANT_PORT]) await assertPortFree(port);

  await buildIfNeeded(logDir);
  const distDir = path.resolve(ROOT, DIST_DIR);
  const firstLoadJs = measureFirstLoadJs(distDir);
  progress(`first-load JS measured for ${firstLoadJs.routes.length} routes`);
  const setPasswordAction = findServerAction(distDir, "lib/actions/passwords.ts", "setPasswordAction");

  // --- The app (2 processes: tenant + Next server), measured from outside over HTTP. ---
  progress(`starting tenant (${SIZES.appUsers} users) and app on :${APP_PORT}…`);
  const dataDir = path.join(workDir, "app-data");
  removeOnExit(dataDir);
  let stack: Stack | undefined;
  let control: TenantControl | undefined;
  let direct: DirectClient | undefined;
  let passdesk: PassdeskClient | undefined;
  let proxy: BenchResults["proxy"];
  let tokenReuse: BenchResults["tokenReuse"];
  let concurrencyRun: (Awaited<ReturnType<typeof concurrentPasswordChanges>> & { directWallMs: number; directFailed: number }) | Skipped;
  let memory: BenchResults["memory"];
  let upstreamRoutesPerPasswordSet: Record<string, number> = {};
  let profile: ProfileFigures | Skipped = { skipped: "not measured" };
  let scopedSearch: ScopeSearchFigures | Skipped = { skipped: "not measured" };
  try {
    stack = await startStack({ appPort: APP_PORT, tenantPort: TENANT_PORT, dataDir, distDir: DIST_DIR, tenantUsers: SIZES.appUsers, logFile: path.join(logDir, "app.log") });
    control = createTenantControl(stack.tenantUrl, stack.caPem);
    await control.request("PUT", "/__control/rate-limits", { disabled: true });
    const before = await control.stats();
    const sdk = createDirectClient(stack.tenantDomain, stack.caPem);
    direct = sdk;
    const users = await findDatabaseUsers(direct, Math.max(SIZES.concurrent, 2 * SIZES.passwordPairs, 20));
    const client = await signInToPassdesk(stack.appUrl, ADMIN, { connections: SIZES.concurrent + 4, setPasswordAction });
    passdesk = client;

    progress(`users search: ${SIZES.searchPairs} pairs after ${SIZES.searchWarmup} warm-up pairs…`);
    const searchRun = await countingUpstream(control, direct, () =>
      compareSearch(client, sdk, { iterations: SIZES.searchPairs, warmup: SIZES.searchWarmup, perPage: 50 }),
    );
    const search = searchRun.value;
    const upstreamCallsPerOperation: BenchResults["proxy"]["upstreamCallsPerOperation"] = {
      search: round(searchRun.calls / (SIZES.searchPairs + SIZES.searchWarmup), 2),
      passwordSet: null,
    };
    progress("search breakdown: /api/health and an authenticated 400 (no Auth0 call)…");
    const breakdown = await searchBreakdown(passdesk, { iterations: Math.ceil(SIZES.searchPairs / 2), warmup: SIZES.searchWarmup });
    let passwordSet: BenchResults["proxy"]["passwordSet"];
    if (!setPasswordAction) {
      passwordSet = { skipped: "setPasswordAction is not in this build" };
      concurrencyRun = { skipped: "setPasswordAction is not in this build" };
    } else {
      progress(`password set: ${SIZES.passwordPairs} pairs after ${SIZES.passwordWarmup} warm-up pairs…`);
      const passwordRun = await countingUpstream(control, direct, () =>
        comparePasswordSet(client, sdk, users, { iterations: SIZES.passwordPairs, warmup: SIZES.passwordWarmup }),
      );
      passwordSet = passwordRun.value;
      upstreamCallsPerOperation.passwordSet = round(passwordRun.calls / (SIZES.passwordPairs + SIZES.passwordWarmup), 2);
      upstreamRoutesPerPasswordSet = await passdeskUpstreamRoutes(control, () =>
        Promise.all(users.slice(0, ROUTE_PROBE_OPERATIONS).map((userId) => client.setPassword({ userId, password: benchPassword(), reason: "Benchmark: upstream calls" }))),
      ROUTE_PROBE_OPERATIONS);
      progress(`${SIZES.concurrent} simultaneous password changes, through Passdesk then directly…`);
      const concurrentUsers = users.slice(0, SIZES.concurrent);
      const throughPassdesk = await concurrentPasswordChanges(passdesk, concurrentUsers);
      const directly = await concurrentDirectChanges(direct, concurrentUsers);
      concurrencyRun = { ...throughPassdesk, directWallMs: directly.wallMs, directFailed: directly.failed };
    }
    // The same comparisons with every Management API call slowed down the way a remote tenant is:
    // the local tenant answers in a few ms, a real Auth0 region does not.
    progress(`remote-tenant emulation: +${REMOTE_LATENCY_MS} ms per Management API call…`);
    const fault = (await control.request("POST", "/__control/faults", {
      path: "/^\\/api\\/v2\\//",
      action: { type: "delay", ms: REMOTE_LATENCY_MS },
    })) as { id: string };
    const remoteSearch = await compareSearch(passdesk, direct, { iterations: SIZES.remotePairs, warmup: 2, perPage: 50 });
    const remotePasswordSet: BenchResults["proxy"]["passwordSet"] = setPasswordAction
      ? await comparePasswordSet(passdesk, direct, users, { iterations: Math.ceil(SIZES.remotePairs / 2), warmup: 1 })
      : { skipped: "setPasswordAction is not in this build" };
    await control.request("DELETE", `/__control/faults/${fault.id}`);
    proxy = {
      search,
      passwordSet,
      tenantUsers: SIZES.appUsers,
      breakdown,
      upstreamCallsPerOperation,
      upstreamRoutesPerPasswordSet,
      remote: { latencyMs: REMOTE_LATENCY_MS, search: remoteSearch, passwordSet: remotePasswordSet },
    };

    progress("profile render: Management API calls per render, p50 before/after, +latency…");
    profile = await measureProfile(client, control, users.slice(0, 10), {
      iterations: isQuick ? 10 : 40,
      warmup: 3,
      latencyMs: REMOTE_LATENCY_MS,
    });

    // At least 1,000 Passdesk operations in all, so "per 1,000" is a count, not an extrapolation.
    const opsSoFar = managementRequests(await control.stats()) - managementRequests(before) - direct.counts.managementRequests;
    const load = Math.max(SIZES.tokenLoad, MIN_TOKEN_OPERATIONS - opsSoFar);
    progress(`token reuse: ${load} more searches through Passdesk…`);
    await searchLoad(passdesk, load, 4);
    const after = await control.stats();
    const tokensFetched = after.tokensIssued - before.tokensIssued - direct.counts.tokens;
    const operations = managementRequests(after) - managementRequests(before) - direct.counts.managementRequests;
    tokenReuse = { tokensFetched, managementApiOperations: operations, perThousandOperations: round((tokensFetched / Math.max(operations, 1)) * 1000, 2) };
    // Scoped operators (issue 16): after the token count, since this child has its own client.
    const scopeInput: ScopeSearchInput = { domain: stack.tenantDomain, caPem: stack.caPem, users: SIZES.appUsers, iterations: SIZES.scopedRounds, warmup: SIZES.scopedWarmup, coldSamples: SIZES.scopedCold };
    progress(`scoped search: ${scopeInput.iterations} rounds of four scopes, ${scopeInput.coldSamples} cold organization searches…`);
    scopedSearch = await runJsonChild<ScopeSearchFigures>("scope-search.ts", [JSON.stringify(scopeInput)], path.join(logDir, "scope-search.log"), 10 * 60_000);
    memory = { appPeakRssMb: round(stack.peakRssKb() / 1024, 1), serverPid: stack.serverPid };
  } finally {
    await passdesk?.close().catch(() => undefined);
    await direct?.close().catch(() => undefined);
    await control?.close().catch(() => undefined);
    if (stack) {
      progress("stopping the app…");
      await stack.stop();
    }
  }

  let concurrency: BenchResults["concurrency"];
  if ("skipped" in concurrencyRun) concurrency = concurrencyRun;
  else {
    progress("verifying the app's audit chain (npm run audit:verify)…");
    const chain = await verifyChainOf(dataDir, path.join(logDir, "audit-verify.log"));
    concurrency = { ...concurrencyRun, chainIntact: chain.intact, chainEvents: chain.events };
  }

  // --- Alone on the machine: audit log and tenant search. ---
  progress(`audit log: ${SIZES.appends} appends per mode, ${SIZES.auditEvents.toLocaleString("en")} events for queries…`);
  const audit = await runAuditChild(path.join(logDir, "audit.log"), path.join(workDir, "audit-pglite"));

  progress("timings moved from tests: Lucene engine, tenant delay fault, client timeout…");
  const timings = await runJsonChild<TimingFigures>("timings.ts", [], path.join(logDir, "timings.log"), 3 * 60_000);

  // Bulk job (issue 17): achieved rate / allowed rate and 429s; its own results file (bench/bulk.ts).
  const bulkInput: BulkBenchInput = { users: isQuick ? 200 : 2_000, perMinute: 1_200, burst: 20, maxRps: 1_000 };
  progress(`bulk job of ${bulkInput.users} users at ${bulkInput.perMinute}/min…`);
  const bulk = await runJsonChild<BulkBenchOutput>("bulk.ts", [JSON.stringify(bulkInput)], path.join(logDir, "bulk.log"), 10 * 60_000);
  // Bulk CSV preview (issue 17): 50,000 rows batched vs one by one; in bulk-latest.json too.
  const previewInput: PreviewBenchInput = isQuick ? { users: 3_000, rows: 2_000, eachRows: 200 } : { users: 50_000, rows: 50_000, eachRows: 1_000 };
  progress(`bulk CSV preview of ${previewInput.rows.toLocaleString("en")} rows…`);
  const preview = await runJsonChild<PreviewBenchOutput>("bulk-preview.ts", [JSON.stringify(previewInput)], path.join(logDir, "bulk-preview.log"), 15 * 60_000);

  const searchTenantDir = path.join(workDir, "search-tenant");
  removeOnExit(searchTenantDir);
  progress(`tenant search with ${SIZES.searchTenantUsers.toLocaleString("en")} users…`);
  const tenantSearch = await measureTenantSearch({
    users: SIZES.searchTenantUsers,
    iterations: SIZES.searchIterations,
    port: SEARCH_TENANT_PORT,
    dataDir: searchTenantDir,
    logFile: path.join(logDir, "search-tenant.log"),
  });

  const partial: Omit<BenchResults, "goals"> = {
    mode: isQuick ? "quick" : "full",
    startedAt: startedAt.toISOString(),
    durationSec: round((Date.now() - startedAt.getTime()) / 1000, 1),
    machine: { node: process.version, cpus: os.cpus().length, loadAverageAtStart: loadAverageAtStart.map((v) => round(v)), loadAverageAtEnd: os.loadavg().map((v) => round(v)) },
    sizes: SIZES,
    proxy,
    firstLoadJs,
    tokenReuse,
    audit,
    concurrency,
    tenantSearch,
    memory,
    timings,
    profile,
    scopedSearch,
  };
  const results: BenchResults = { ...partial, goals: checkGoals(partial) };
  const resultsDir = path.join(ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderMarkdown(results)}\n`);
  writeFileSync(path.join(resultsDir, "bulk-latest.json"), `${JSON.stringify({ ...bulk, preview }, null, 2)}\n`);
  process.stdout.write(
    `\n| bulk job (${bulk.users} users) | achieved ${bulk.achievedRps}/s of ${bulk.allowedRps}/s allowed = ${Math.round(bulk.ratio * 100)} % | 429s answered: ${bulk.rateLimited429}, items failed by a 429: ${bulk.failedBy429} | failed items: ${bulk.failedItems} |\n` +
      `| bulk CSV preview (${preview.rows} rows) | batched ${preview.batched.sec} s (${preview.batched.rowsPerSec} rows/s, ${preview.batched.auth0Calls} calls, ${preview.batched.rateLimited429} × 429) at the default limits | one by one ${preview.oneByOneNoLimit.rowsPerSec} rows/s unlimited (~${preview.oneByOneNoLimit.extrapolatedSecForAllRows} s for all); at the default limits: ${"failed" in preview.oneByOne ? `failed after ${preview.oneByOne.sec} s (${preview.oneByOne.failed})` : `${preview.oneByOne.sec} s for ${preview.oneByOne.rows}`} | same rows: ${preview.sameRows} |\n`,
  );
  progress(`results written to bench/results/latest.json in ${results.durationSec} s`);
  rmSync(workDir, { recursive: true, force: true });

  // Speed is reported, never asserted; a broken chain is a defect, not a figure.
  if (!("skipped" in concurrency) && !concurrency.chainIntact) {
    progress("the audit chain is BROKEN after the concurrent password changes");
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
