import type { PassdeskClient } from "./lib/passdesk";
import { round, summarize, timed, type LatencySummary } from "./lib/stats";
import type { TenantControl } from "./lib/tenant";

/**
 * Issue 14's figure: a user's profile page (the support case: diagnosis, reset status,
 * timeline) — Management API calls per render, counted at the tenant, and its p50. "Before" is
 * the read the profile made before the support case (one user read, `GET /api/users/:id`, the
 * same users.get); "after" is the whole profile page, streamed to the end. With every Management
 * API call delayed by `latencyMs`, parallel calls cost about one delay, sequential ones one
 * delay per call: `parallel` says which the profile does.
 */

export type ProfileFigures = {
  renders: number;
  /** Management API requests per profile render (tenant counters; this run's Passdesk alone). */
  managementCallsPerRender: number;
  /** …by route (e.g. `GET /api/v2/users/{id}`, `GET /api/v2/user-blocks/{id}`, `GET /api/v2/logs`). */
  routesPerRender: Record<string, number>;
  /** p50 in ms: before = the user read alone; after = the profile page. Local tenant. */
  p50Ms: { before: number; after: number };
  local: { before: LatencySummary; after: LatencySummary };
  remote: {
    latencyMs: number;
    before: LatencySummary;
    after: LatencySummary;
    /** What the profile's calls would cost one after another: calls × latency, on top of the local p50. */
    sequentialEstimateMs: number;
    /** The profile p50 grew by less than 1.5 delays: its calls overlap. */
    parallel: boolean;
  };
};

const MANAGEMENT_ROUTE = /^[A-Z]+ \/api\/v2\//;

function profilePath(userId: string): string {
  return `/users/${encodeURIComponent(userId)}`;
}

async function samples(client: PassdeskClient, paths: readonly string[], iterations: number, warmup: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const pathname = paths[i % paths.length] ?? "/";
    const { ms, value: status } = await timed(() => client.probe(pathname));
    if (status !== 200) throw new Error(`GET ${pathname} → ${status}`);
    if (i >= warmup) times.push(ms);
  }
  return times;
}

export async function measureProfile(
  client: PassdeskClient,
  control: TenantControl,
  userIds: readonly string[],
  options: { iterations: number; warmup: number; latencyMs: number },
): Promise<ProfileFigures> {
  const pages = userIds.map(profilePath);
  const reads = userIds.map((id) => `/api/users/${encodeURIComponent(id)}`);
  // Warm up (token, connections cache, compiled routes), then count one render per user.
  await samples(client, pages, 0, Math.min(pages.length, options.warmup));
  const before = (await control.stats()).requests;
  await samples(client, pages, pages.length, 0);
  const after = (await control.stats()).requests;
  const routesPerRender: Record<string, number> = {};
  let calls = 0;
  for (const [route, count] of Object.entries(after)) {
    const delta = count - (before[route] ?? 0);
    if (delta <= 0 || !MANAGEMENT_ROUTE.test(route)) continue;
    routesPerRender[route] = round(delta / pages.length, 2);
    calls += delta;
  }
  const managementCallsPerRender = round(calls / pages.length, 2);

  const localBefore = summarize(await samples(client, reads, options.iterations, options.warmup));
  const localAfter = summarize(await samples(client, pages, options.iterations, options.warmup));

  const fault = (await control.request("POST", "/__control/faults", {
    path: "/^\\/api\\/v2\\//",
    action: { type: "delay", ms: options.latencyMs },
  })) as { id: string };
  let remoteBefore: LatencySummary;
  let remoteAfter: LatencySummary;
  try {
    const remoteIterations = Math.max(5, Math.ceil(options.iterations / 2));
    remoteBefore = summarize(await samples(client, reads, remoteIterations, 2));
    remoteAfter = summarize(await samples(client, pages, remoteIterations, 2));
  } finally {
    await control.request("DELETE", `/__control/faults/${fault.id}`);
  }
  return {
    renders: pages.length,
    managementCallsPerRender,
    routesPerRender,
    p50Ms: { before: localBefore.p50, after: localAfter.p50 },
    local: { before: localBefore, after: localAfter },
    remote: {
      latencyMs: options.latencyMs,
      before: remoteBefore,
      after: remoteAfter,
      sequentialEstimateMs: round(localAfter.p50 + managementCallsPerRender * options.latencyMs),
      parallel: remoteAfter.p50 - localAfter.p50 < 1.5 * options.latencyMs,
    },
  };
}

type Goal = { figure: string; measured: string; goal: string; met: boolean | null; note?: string };

/** The profile's rows of the report (bench/report.ts checkGoals). */
export function profileGoals(profile: ProfileFigures | { skipped: string } | undefined): Goal[] {
  if (profile === undefined) return [];
  if ("skipped" in profile)
    return [{ figure: "9. Profile render — Management API calls", measured: profile.skipped, goal: "≤ 3, in parallel", met: null }];
  const routes = Object.entries(profile.routesPerRender)
    .map(([route, count]) => `${route} ×${count}`)
    .join(", ");
  return [
    {
      figure: "9a. Profile render — Management API calls per render",
      measured: `${profile.managementCallsPerRender} (${routes})`,
      goal: "≤ 3 (user, blocks, one log page)",
      met: profile.managementCallsPerRender <= 3,
    },
    {
      figure: "9b. Profile p50 — before (user read) / after (profile page)",
      measured: `${profile.p50Ms.before.toFixed(1)} ms / ${profile.p50Ms.after.toFixed(1)} ms`,
      goal: "reported",
      met: null,
    },
    {
      figure: `9c. Profile p50, tenant +${profile.remote.latencyMs} ms per call — calls in parallel`,
      measured: `${profile.remote.after.p50.toFixed(1)} ms (user read ${profile.remote.before.p50.toFixed(1)} ms; one after another ≈ ${profile.remote.sequentialEstimateMs.toFixed(0)} ms)`,
      goal: `< local p50 + 1.5 × ${profile.remote.latencyMs} ms`,
      met: profile.remote.parallel,
    },
  ];
}
