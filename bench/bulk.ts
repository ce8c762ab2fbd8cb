/**
 * Bulk-job figure (issue 17), run in a child with `tsx --conditions=react-server` (lib/bulk
 * imports "server-only"): an in-process local tenant with `users` fresh database users and a
 * set users:read rate limit, a fresh in-memory PGlite, one approved reset-email job over all of
 * them, run by one bulk runner (lib/bulk/runner.ts) exactly as the app runs it.
 * Reports the achieved item rate as a ratio of the rate the tenant allows, the 429s the tenant
 * answered (its rate limiter's count), items put back or failed because of one (a 429 never
 * fails an item: it is waited out), and items that failed.
 * Input: one JSON argument (BulkBenchInput). Output: one JSON line (BulkBenchOutput) on stdout.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createManagementApi } from "@/lib/auth0";
import { createAuthenticationApi } from "@/lib/auth0/password-operations";
import { createBulkJob, decideBulkJob, getBulkJobProgress } from "@/lib/bulk/jobs";
import type { PreviewRow } from "@/lib/bulk/operations";
import { createBulkRunner } from "@/lib/bulk/runner";
import { createTestDatabase } from "@/lib/db/test-database";
import { runJsonChildMain } from "./lib/processes";
import { round, runPool } from "./lib/stats";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

export type BulkBenchInput = {
  users: number;
  /** The tenant's users:read bucket: refill per minute and burst. */
  perMinute: number;
  burst: number;
  /** BULK_MAX_RPS for the runner (a ceiling above the tenant's rate, so the tenant decides). */
  maxRps: number;
};

export type BulkBenchOutput = {
  users: number;
  allowedRps: number;
  achievedRps: number;
  /** achieved / allowed, where allowed counts the initial burst: (burst + rate × duration) / duration. */
  ratio: number;
  durationSec: number;
  /** 429s the tenant's rate limiter answered during the job (retried inside a call or not). */
  rateLimited429: number;
  /** Items the runner put back because a 429 reached it (never failed for it). */
  itemsRequeuedBy429: number;
  /** Items that failed because of a 429 (the goal: 0). */
  failedBy429: number;
  failedItems: number;
  emailsSent: number;
};

type StartTenant = (options: {
  port: number;
  dataDir: string;
  users: number;
  persist: boolean;
  rateLimits: { disabled: boolean };
}) => Promise<{ url: string; domain: string; caPem: string; controlToken: string; close(): Promise<void> }>;

async function main(): Promise<BulkBenchOutput> {
  const input = JSON.parse(process.argv[2] ?? "{}") as BulkBenchInput;
  const { startTenant } = (await import("../tenant/src/server.ts" as string)) as { startTenant: StartTenant };
  const dataDir = await mkdtemp(join(tmpdir(), "passdesk-bench-bulk-"));
  const tenant = await startTenant({ port: 0, dataDir, users: 10, persist: false, rateLimits: { disabled: true } });
  const database = await createTestDatabase();
  const config = { domain: tenant.domain, clientId: "passdesk-demo-m2m", clientSecret: "passdesk-demo-m2m-secret", caPem: tenant.caPem, timeoutMs: 10_000 };
  const api = createManagementApi(config);
  const auth = createAuthenticationApi(config);
  const { Agent, fetch } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: tenant.caPem } });
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${tenant.url}/__control${path}`, {
      method,
      dispatcher,
      headers: { authorization: `Bearer ${tenant.controlToken}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  try {
    const stamp = Date.now().toString(36);
    const ids: string[] = new Array<string>(input.users);
    await runPool(input.users, 8, async (i) => {
      const created = await api.run("bench.create_user", (client) =>
        client.users.create({ connection: "Username-Password-Authentication", email: `bulk-${i}-${stamp}@bench.passdesk.test`, password: "Bench-Password-42!", email_verified: true }),
      );
      ids[i] = (created as { user_id: string }).user_id;
    });
    const [requester, approver] = await Promise.all(
      ["requester", "approver"].map((name) =>
        database.prisma.operator.create({
          data: { email: `${name}@bench.passdesk.test`, name, role: "ADMIN", passwordHash: "not-used" },
          select: identitySelect,
        }).then(toOperatorIdentity),
      ),
    );
    if (!requester || !approver) throw new Error("operators not created");
    const meta = { requestId: "bench-bulk", ip: null, userAgent: "bench" };
    const rows: PreviewRow[] = ids.map((userId, index) => ({ position: index + 1, input: userId, status: "matched", userId, connection: null }));
    const created = await createBulkJob(
      database.prisma,
      { operation: "password.reset_email", reason: "Bench: bulk reset run", source: "search", sourceLabel: "bench", rows, approvalTtlSec: 3600 },
      { operator: requester, meta },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    await decideBulkJob(database.prisma, { jobId: created.data.jobId, decision: "approve", reason: "Bench approval" }, { operator: approver, meta });
    await control("PUT", "/rate-limits", { reset: true, groups: { "users:read": { burst: input.burst, perMinute: input.perMinute } } });
    type TenantStats = { emailsSent: number; rateLimited: Record<string, number> };
    const rateLimitedOf = (stats: TenantStats) => Object.values(stats.rateLimited).reduce((sum, n) => sum + n, 0);
    const before = (await (await control("GET", "/stats")).json()) as TenantStats;

    const runner = createBulkRunner({
      deps: { db: database.prisma, api, auth, resetClientId: "passdesk-demo-reset-app", resultUrlHosts: [] },
      runnerId: "bench",
      leaseMs: 60_000,
      maxRps: input.maxRps,
      idleMs: 20,
    });
    const startedAt = Date.now();
    runner.start();
    let status: string | undefined;
    while (status !== "FINISHED") {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await database.prisma.bulkJob.findUnique({ where: { id: created.data.jobId }, select: { status: true } }))?.status;
    }
    await runner.stop();
    const durationSec = (Date.now() - startedAt) / 1000;
    const progress = await getBulkJobProgress(database.prisma, created.data.jobId);
    const after = (await (await control("GET", "/stats")).json()) as TenantStats;
    const failedBy429 = await database.prisma.bulkJobItem.count({
      where: { jobId: created.data.jobId, status: "FAILED", errorCode: "rate_limited" },
    });
    const allowedRps = (input.burst + (input.perMinute / 60) * durationSec) / durationSec;
    const achievedRps = input.users / durationSec;
    const output: BulkBenchOutput = {
      users: input.users,
      allowedRps: round(allowedRps, 2),
      achievedRps: round(achievedRps, 2),
      ratio: round(achievedRps / allowedRps, 3),
      durationSec: round(durationSec, 1),
      rateLimited429: rateLimitedOf(after) - rateLimitedOf(before),
      itemsRequeuedBy429: runner.stats.rateLimited,
      failedBy429,
      failedItems: progress?.counts.failed ?? -1,
      emailsSent: after.emailsSent - before.emailsSent,
    };
    return output;
  } finally {
    await api.close();
    await auth.close();
    await dispatcher.close();
    await database.close();
    await tenant.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

runJsonChildMain(main);
