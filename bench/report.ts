import type { AuditBenchOutput, DatabaseFigures } from "./audit";
import { profileGoals, type ProfileFigures } from "./profile";
import type { BundleReport } from "./bundle";
import type { ConcurrencyResult, Comparison, PasswordComparison, SearchBreakdown } from "./proxy";
import type { ScopeSearchFigures } from "./scope-search";
import type { TenantSearchFigures } from "./tenant-search";
import type { TimingFigure, TimingFigures } from "./timings";

/** The results file and the Markdown table printed on stdout. */

export type Skipped = { skipped: string };

export type BenchResults = {
  mode: "full" | "quick";
  startedAt: string;
  durationSec: number;
  machine: { node: string; cpus: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  sizes: Record<string, number>;
  proxy: {
    search: Comparison;
    passwordSet: PasswordComparison | Skipped;
    tenantUsers: number;
    breakdown: SearchBreakdown;
    /** Management API requests per Passdesk operation (the direct SDK makes exactly 1). */
    upstreamCallsPerOperation: { search: number; passwordSet: number | null };
    /** Which Management API routes one Passdesk password set calls (tenant counters, Passdesk alone). */
    upstreamRoutesPerPasswordSet: Record<string, number>;
    /** The same comparisons with a delay on every Management API call (a tenant across a network). */
    remote: { latencyMs: number; search: Comparison; passwordSet: PasswordComparison | Skipped };
  };
  firstLoadJs: BundleReport;
  tokenReuse: { tokensFetched: number; managementApiOperations: number; perThousandOperations: number };
  audit: AuditBenchOutput;
  concurrency:
    | (ConcurrencyResult & { directWallMs: number; directFailed: number; chainIntact: boolean; chainEvents: number | null })
    | Skipped;
  tenantSearch: TenantSearchFigures;
  memory: { appPeakRssMb: number; serverPid: number };
  /** Durations tests used to assert, measured here instead (bench/timings.ts). */
  timings: TimingFigures;
  /** The user profile (support case): Management API calls per render, p50 before/after (bench/profile.ts). */
  profile?: ProfileFigures | Skipped;
  /** Users search with an operator scope against without one (bench/scope-search.ts, issue 16). */
  scopedSearch?: ScopeSearchFigures | Skipped;
  goals: GoalCheck[];
};

export type GoalCheck = { figure: string; measured: string; goal: string; met: boolean | null; note?: string };

export function isSkipped(value: unknown): value is Skipped {
  return typeof value === "object" && value !== null && "skipped" in value;
}

/** kB = 1,000 bytes, as in Next.js's own size report. */
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Every goal of issues 8 and 13, judged on the measured figures (null = nothing to judge). */
export function checkGoals(results: Omit<BenchResults, "goals">): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const { search, passwordSet } = results.proxy;
  goals.push({
    figure: "1a. Proxy overhead, users search — p50 ratio",
    measured: `${search.p50Ratio.toFixed(2)}× (${ms(search.passdesk.p50)} vs ${ms(search.direct.p50)})`,
    goal: "≤ 1.05",
    met: search.p50Ratio <= 1.05,
    note: "Passdesk's own cost per request is added to the SDK call: HTTP, the proxy and Next's routing (the /api/health figure under 1e) and the session check; on a loaded machine each of them is larger.",
  });
  if (isSkipped(passwordSet)) {
    goals.push({ figure: "1b. Proxy overhead, password set — p50 ratio", measured: passwordSet.skipped, goal: "≤ 1.05", met: null });
  } else {
    goals.push({
      figure: "1b. Proxy overhead, password set — p50 ratio",
      measured: `${passwordSet.p50Ratio.toFixed(2)}× (${ms(passwordSet.passdesk.p50)} vs ${ms(passwordSet.direct.p50)})`,
      goal: "≤ 1.05",
      met: passwordSet.p50Ratio <= 1.05,
    });
  }
  const { remote } = results.proxy;
  goals.push({
    figure: `1c. Same, users search, tenant +${remote.latencyMs} ms per call — p50 ratio`,
    measured: `${remote.search.p50Ratio.toFixed(2)}× (${ms(remote.search.passdesk.p50)} vs ${ms(remote.search.direct.p50)})`,
    goal: "≤ 1.05",
    met: remote.search.p50Ratio <= 1.05,
    note: "Passdesk's own cost per request is added to the SDK call: HTTP, the proxy and Next's routing (the /api/health figure under 1e) and the session check; on a loaded machine each of them is larger.",
  });
  goals.push(
    isSkipped(remote.passwordSet)
      ? { figure: `1d. Same, password set, tenant +${remote.latencyMs} ms per call — p50 ratio`, measured: remote.passwordSet.skipped, goal: "≤ 1.10", met: null }
      : {
          figure: `1d. Same, password set, tenant +${remote.latencyMs} ms per call — p50 ratio`,
          measured: `${remote.passwordSet.p50Ratio.toFixed(2)}× (${ms(remote.passwordSet.passdesk.p50)} vs ${ms(remote.passwordSet.direct.p50)})`,
          goal: "≤ 1.10",
          met: remote.passwordSet.p50Ratio <= 1.1,
          note: "The set re-reads the user at Auth0 (connection and email are never taken from the browser) while the idempotency claim runs, then writes the pending event: one round trip more than the SDK alone.",
        },
  );
  const { breakdown } = results.proxy;
  goals.push({
    figure: "1e. Authenticated request, no Auth0 call (400 after session and operator check) — p50",
    measured: `${ms(breakdown.authenticatedNoUpstream.p50)} (unauthenticated /api/health ${ms(breakdown.health.p50)})`,
    goal: "≤ 3 ms (idle machine)",
    met: breakdown.authenticatedNoUpstream.p50 <= 3,
    note: "Includes HTTP on loopback and Next's routing (the /api/health figure); on a loaded machine every figure is higher.",
  });
  for (const route of ["/users", "/users/[id]"]) {
    const bundle = results.firstLoadJs.routes.find((entry) => entry.route === route);
    goals.push({
      figure: `2. First-load JS ${route} (gzip)`,
      measured: bundle ? kB(bundle.gzipBytes) : "route not in build",
      goal: "≤ 160 kB",
      met: bundle ? bundle.gzipBytes <= 160_000 : false,
      note: bundle
        ? `Framework ${kB(bundle.frameworkGzipBytes)}, the app's own ${kB(bundle.gzipBytes - bundle.frameworkGzipBytes)} (zod, the Danger Zone forms and Radix's menu are no longer in it). What is left: next-intl's client runtime (about 12 kB, for client components that translate), react-query in the (app) layout (about 10 kB; only search and audit use it), nuqs on /users (9 kB). Translating on the server only, and the query provider on the pages that need it, would close it.`
        : undefined,
    });
  }
  goals.push({
    figure: "3. Management API tokens per 1,000 operations",
    measured: `${results.tokenReuse.perThousandOperations.toFixed(2)} (${results.tokenReuse.tokensFetched} over ${results.tokenReuse.managementApiOperations} ops)`,
    goal: "≤ 1",
    met: results.tokenReuse.perThousandOperations <= 1,
  });
  const databases: [string, DatabaseFigures | Skipped][] = [
    ["PGlite", results.audit.pglite],
    ["PostgreSQL", results.audit.postgres],
  ];
  for (const [name, figures] of databases) {
    if (isSkipped(figures)) {
      goals.push({ figure: `4. Audit append, ${name}`, measured: `skipped: ${figures.skipped.replace(/^skipped: /, "")}`, goal: "≥ 1,000/s", met: null });
      goals.push({ figure: `4. Audit query by target, ${name} — p95`, measured: `skipped: ${figures.skipped.replace(/^skipped: /, "")}`, goal: "≤ 20 ms", met: null });
      continue;
    }
    goals.push({
      figure: `4. Audit append, ${name}, ${figures.append.concurrency} callers (group commit)`,
      measured: `${figures.append.concurrentPerSec.toLocaleString("en")}/s`,
      goal: "≥ 1,000/s",
      met: figures.append.concurrentPerSec >= 1000,
    });
    goals.push({
      figure: `4. Audit append, ${name}, one at a time`,
      measured: `${figures.append.sequentialPerSec.toLocaleString("en")}/s`,
      goal: "≥ 1,000/s",
      met: figures.append.sequentialPerSec >= 1000,
      note: "One statement per append now (compare-and-swap on the chain head and the insert, on the driver under Prisma). What is left is that statement (the row, its 8 indexes and the head row) and the machine: compare with a run on an idle machine.",
    });
    goals.push({
      figure: `4. Audit per-user history, ${name}, ${figures.query.events.toLocaleString("en")} events — p95`,
      measured: `${ms(figures.query.userHistory.p95)} (p50 ${ms(figures.query.userHistory.p50)})`,
      goal: "≤ 20 ms",
      met: figures.query.userHistory.p95 <= 20,
    });
    goals.push({
      figure: `4. Audit page target filter, ${name}, ${figures.query.events.toLocaleString("en")} events — p95`,
      measured: `${ms(figures.query.auditPageTargetFilter.p95)} (p50 ${ms(figures.query.auditPageTargetFilter.p50)})`,
      goal: "≤ 20 ms",
      met: figures.query.auditPageTargetFilter.p95 <= 20,
      note: "One round trip per page now (rows and their outcomes in one statement, on the existing (target, sequence) indexes); a p95 far above the p50 is the machine's load, not the plan.",
    });
  }
  const concurrency = results.concurrency;
  goals.push(
    isSkipped(concurrency)
      ? { figure: "5. Simultaneous password changes", measured: concurrency.skipped, goal: "all succeed, chain intact", met: null }
      : {
          figure: `5. ${concurrency.attempted} simultaneous password changes`,
          measured: `${concurrency.succeeded}/${concurrency.attempted} succeeded, chain ${concurrency.chainIntact ? "intact" : "BROKEN"}, wall ${ms(concurrency.wallMs)}`,
          goal: "all succeed, chain intact (no speed goal)",
          met: concurrency.succeeded === concurrency.attempted && concurrency.chainIntact,
        },
  );
  goals.push({
    figure: `6. Tenant search, ${results.tenantSearch.users.toLocaleString("en")} users`,
    measured: `p50 ${ms(results.tenantSearch.all.p50)}, p95 ${ms(results.tenantSearch.all.p95)}`,
    goal: "— (no goal)",
    met: null,
  });
  goals.push({
    figure: "7. App peak RSS (VmHWM of scripts/server.ts)",
    measured: `${results.memory.appPeakRssMb.toFixed(0)} MB`,
    goal: "≤ 400 MB",
    met: results.memory.appPeakRssMb <= 400,
    note: "Embedded PostgreSQL's shared buffers are 32 MB (were 128 MB, all resident) and routes load on first use (preloadEntriesOnStart off). The server idles at about 380 MB after start (was 460 MB); V8's heap limit does not change it, so it is native memory (PGlite's and Prisma's WebAssembly, Next's server). Not found yet: a heap and native profile of the server under the concurrent changes.",
  });
  for (const timing of results.timings.figures) {
    goals.push({ figure: `8. ${timing.label}`, measured: ms(timing.ms), goal: timingGoal(timing), met: timingMet(timing) });
  }
  goals.push(...profileGoals(results.profile));
  goals.push(...scopedSearchGoals(results.scopedSearch));
  return goals;
}

/** Scoped / unscoped search p50 per scope kind (issue 16: ≤ 1.05×); a cold organization is reported only. */
function scopedSearchGoals(figures: ScopeSearchFigures | Skipped | undefined): GoalCheck[] {
  const figure = "10. Scoped search p50 / unscoped";
  if (figures === undefined) return [];
  if (isSkipped(figures)) return [{ figure, measured: figures.skipped, goal: "≤ 1.05", met: null }];
  const note = (label: string, summary: { p50: number }, resolveMs: number) =>
    `${label}: ${ms(summary.p50)} against ${ms(figures.unscoped.p50)} unscoped, of which resolveScope ${ms(resolveMs)}; the rest is the one search call, so the extra time is the local tenant evaluating the longer query: each clause of the scope is matched on every candidate user. An organization's \`user_id:(…)\` group is answered from the tenant's id index (an AND with an indexed clause, tenant/src/management/users.ts) but is still parsed and matched on each search; a connection or filter clause is matched on every user a scan visits.`;
  const judged = [
    ["10a. Scoped search, EU filter — p50 ratio", "EU filter", figures.euFilter, figures.p50Ratio.euFilter, figures.resolveP50.euFilter],
    ["10b. Scoped search, one connection — p50 ratio", "connection", figures.connection, figures.p50Ratio.connection, figures.resolveP50.connection],
    [
      `10c. Scoped search, organization (${figures.organizationMembers} members, cached) — p50 ratio`,
      `organization (user_id:(…) with ${figures.organizationMembers} ids)`,
      figures.organizationWarm,
      figures.p50Ratio.organizationWarm,
      figures.resolveP50.organizationWarm,
    ],
  ] as const;
  const goals: GoalCheck[] = judged.map(([name, label, summary, ratio, resolveMs]) => ({
    figure: name,
    measured: `${ratio.toFixed(2)}× (${ms(summary.p50)} vs ${ms(figures.unscoped.p50)})`,
    goal: "≤ 1.05",
    met: ratio <= 1.05,
    note: note(label, summary, resolveMs),
  }));
  goals.push({
    figure: "10d. Scoped search, organization, member list not cached (once per 30 s) — p50 ratio",
    measured: `${figures.p50Ratio.organizationCold.toFixed(2)}× (${ms(figures.organizationCold.p50)}, of which resolveScope ${ms(figures.resolveP50.organizationCold)}; n = ${figures.organizationCold.n})`,
    goal: "reported",
    met: null,
  });
  return goals;
}

function timingGoal({ goal }: TimingFigure): string {
  if (goal.atLeastMs !== undefined && goal.atMostMs !== undefined) return `${goal.atLeastMs}–${goal.atMostMs} ms`;
  if (goal.atLeastMs !== undefined) return `≥ ${goal.atLeastMs} ms`;
  return `≤ ${goal.atMostMs ?? "?"} ms`;
}

function timingMet({ ms: measured, goal }: TimingFigure): boolean {
  return (goal.atLeastMs === undefined || measured >= goal.atLeastMs) && (goal.atMostMs === undefined || measured <= goal.atMostMs);
}

function status(goal: GoalCheck, quick: boolean): string {
  if (goal.met === null) return "—";
  if (quick) return goal.met ? "met (quick)" : "missed (quick: not judged)";
  return goal.met ? "✅ met" : "❌ missed";
}

export function renderMarkdown(results: BenchResults): string {
  const quick = results.mode === "quick";
  const lines: string[] = [];
  lines.push(`## Passdesk benchmark (${results.mode}, ${results.startedAt}, ${results.durationSec.toFixed(0)} s)`);
  lines.push("");
  lines.push(
    `Node ${results.machine.node}, ${results.machine.cpus} CPUs, load average ${results.machine.loadAverageAtStart.map((v) => v.toFixed(1)).join(" ")} at start → ${results.machine.loadAverageAtEnd.map((v) => v.toFixed(1)).join(" ")} at end.`,
  );
  if (quick) lines.push("", "_Quick mode: small sizes, figures are not comparable with a full run and no goal is judged._");
  lines.push("", "| Figure | Measured | Goal | Status |", "|---|---|---|---|");
  for (const goal of results.goals) lines.push(`| ${goal.figure} | ${goal.measured} | ${goal.goal} | ${status(goal, quick)} |`);
  const missed = results.goals.filter((goal) => goal.met === false && goal.note);
  if (missed.length > 0) {
    lines.push("", "Missed goals, and why:", "");
    for (const goal of missed) lines.push(`- **${goal.figure}**: ${goal.note}`);
  }

  const { search, passwordSet } = results.proxy;
  lines.push("", "### 1. Proxy overhead (interleaved ABBA, same tenant)", "", "| Call | n | Passdesk p50 / p95 | Direct SDK p50 / p95 | p50 ratio | p95 ratio | added per call (median) |", "|---|---|---|---|---|---|---|");
  const row = (label: string, comparison: Comparison) =>
    `| ${label} | ${comparison.passdesk.n} | ${ms(comparison.passdesk.p50)} / ${ms(comparison.passdesk.p95)} | ${ms(comparison.direct.p50)} / ${ms(comparison.direct.p95)} | ${comparison.p50Ratio.toFixed(2)}× | ${comparison.p95Ratio.toFixed(2)}× | ${ms(comparison.addedMsMedian)} |`;
  lines.push(row(`users search (${results.proxy.tenantUsers.toLocaleString("en")} users)`, search));
  const { remote } = results.proxy;
  const failureNotes: string[] = [];
  for (const [label, comparison] of [
    ["password set", passwordSet],
    [`users search, tenant +${remote.latencyMs} ms/call`, remote.search],
    [`password set, tenant +${remote.latencyMs} ms/call`, remote.passwordSet],
  ] as const) {
    if (isSkipped(comparison)) {
      lines.push(`| ${label} | — | ${comparison.skipped} | | | | |`);
      continue;
    }
    lines.push(row(label, comparison));
    const failures = "passdeskFailures" in comparison ? Object.entries(comparison.passdeskFailures) : [];
    if (failures.length > 0) failureNotes.push(`${label}: ${failures.map(([code, count]) => `${code} × ${count}`).join(", ")}`);
  }
  if (failureNotes.length > 0) lines.push("", `Passdesk failures: ${failureNotes.join("; ")}`);
  const { breakdown, upstreamCallsPerOperation: upstream } = results.proxy;
  lines.push(
    "",
    `Where a local search's time goes (p50): HTTP, proxy, routing and a trivial database query (\`/api/health\`) ${ms(breakdown.health.p50)}; plus session and operator check, no Auth0 call (authenticated 400) ${ms(breakdown.authenticatedNoUpstream.p50)}; full search ${ms(search.passdesk.p50)} of which the SDK call alone takes ${ms(search.direct.p50)}.`,
    `Management API requests per Passdesk operation (direct SDK: 1): search ${upstream.search}, password set ${upstream.passwordSet ?? "—"}${
      Object.keys(results.proxy.upstreamRoutesPerPasswordSet).length
        ? ` (${Object.entries(results.proxy.upstreamRoutesPerPasswordSet).map(([route, count]) => `${count} × \`${route}\``).join(", ")})`
        : ""
    }.`,
  );

  lines.push("", `### 2. First-load JavaScript per route (gzip; from ${results.firstLoadJs.source})`, "", "| Route | gzip | of which framework | app's own | raw | chunks | largest chunks (gzip) |", "|---|---|---|---|---|---|---|");
  for (const route of results.firstLoadJs.routes) {
    const largest = route.largest.map((chunk) => `${kB(chunk.gzipBytes)}${chunk.contains.length ? ` (${chunk.contains.join(", ")})` : ""}`).join("; ");
    lines.push(
      `| ${route.route} | ${kB(route.gzipBytes)} | ${kB(route.frameworkGzipBytes)} | ${kB(route.gzipBytes - route.frameworkGzipBytes)} | ${kB(route.rawBytes)} | ${route.chunks} | ${largest} |`,
    );
  }

  lines.push("", "### 4. Audit log", "", "| Database | append, one at a time | append, concurrent | rows for queries | per-user history p50 / p95 | audit-page target filter p50 / p95 |", "|---|---|---|---|---|---|");
  for (const [name, figures] of [["PGlite (file-backed)", results.audit.pglite], ["PostgreSQL", results.audit.postgres]] as const) {
    if (isSkipped(figures)) lines.push(`| ${name} | skipped: ${figures.skipped} | | | | |`);
    else
      lines.push(
        `| ${name} | ${figures.append.sequentialPerSec}/s | ${figures.append.concurrentPerSec}/s (${figures.append.concurrency} callers) | ${figures.query.events.toLocaleString("en")} (${figures.query.targetUsers.toLocaleString("en")} users) | ${ms(figures.query.userHistory.p50)} / ${ms(figures.query.userHistory.p95)} | ${ms(figures.query.auditPageTargetFilter.p50)} / ${ms(figures.query.auditPageTargetFilter.p95)} |`,
      );
  }

  const concurrency = results.concurrency;
  if (!isSkipped(concurrency)) {
    const failures = Object.entries(concurrency.failures);
    lines.push(
      "",
      "### 5. Concurrency",
      "",
      `${concurrency.attempted} password changes started at once: ${concurrency.succeeded} succeeded${failures.length ? ` (failed: ${failures.map(([code, count]) => `${code} × ${count}`).join(", ")})` : ""}, wall time ${ms(concurrency.wallMs)}, per-request p50 ${ms(concurrency.latency.p50)} / p95 ${ms(concurrency.latency.p95)}; audit chain ${concurrency.chainIntact ? "intact" : "BROKEN"}${concurrency.chainEvents === null ? "" : ` (${concurrency.chainEvents} events verified)`}.`,
      `The same ${concurrency.attempted} PATCHes sent straight to the tenant with the SDK: wall time ${ms(concurrency.directWallMs)}${concurrency.directFailed ? `, ${concurrency.directFailed} failed` : ""}.`,
    );
  }

  lines.push("", `### 6. Tenant search (${results.tenantSearch.users.toLocaleString("en")} users, started in ${results.tenantSearch.startSec} s)`, "", "| Query | total | p50 | p95 |", "|---|---|---|---|");
  for (const query of results.tenantSearch.perQuery) lines.push(`| \`${query.q}\` | ${query.total} | ${ms(query.latency.p50)} | ${ms(query.latency.p95)} |`);
  lines.push(`| all queries | | ${ms(results.tenantSearch.all.p50)} | ${ms(results.tenantSearch.all.p95)} |`);
  const scoped = results.scopedSearch;
  if (scoped && !isSkipped(scoped)) {
    lines.push(
      "",
      `### 10. Scoped search (${scoped.users.toLocaleString("en")} users; lib/auth0 searchUsers after resolveScope, interleaved)`,
      "",
      "| Scope | n | p50 / p95 | of which resolveScope (p50) | p50 ratio |",
      "|---|---|---|---|---|",
    );
    const scopedRow = (label: string, summary: ScopeSearchFigures["unscoped"], resolveMs: number, ratio: number) =>
      `| ${label} | ${summary.n} | ${ms(summary.p50)} / ${ms(summary.p95)} | ${ms(resolveMs)} | ${ratio.toFixed(2)}× |`;
    lines.push(scopedRow("none", scoped.unscoped, scoped.resolveP50.unscoped, 1));
    lines.push(scopedRow(`filter \`${scoped.scopes.euFilter}\``, scoped.euFilter, scoped.resolveP50.euFilter, scoped.p50Ratio.euFilter));
    lines.push(scopedRow(scoped.scopes.connection, scoped.connection, scoped.resolveP50.connection, scoped.p50Ratio.connection));
    lines.push(scopedRow(`${scoped.scopes.organization}, ${scoped.organizationMembers} members, cached`, scoped.organizationWarm, scoped.resolveP50.organizationWarm, scoped.p50Ratio.organizationWarm));
    lines.push(scopedRow("the same organization, member list read (cold)", scoped.organizationCold, scoped.resolveP50.organizationCold, scoped.p50Ratio.organizationCold));
  }
  lines.push("");
  return lines.join("\n");
}
