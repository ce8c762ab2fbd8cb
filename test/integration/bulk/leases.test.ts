import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import { createBulkRunner } from "@/lib/bulk/runner";
import { describeEachDatabase } from "../db/targets";

/**
 * The lease itself (UPDATE … FOR UPDATE SKIP LOCKED) on each database, without a tenant: items
 * with no user resolve to "unknown" without any Auth0 call, so only the database decides who
 * takes what. On PostgreSQL the runners' queries run on separate pooled connections at once.
 */
describeEachDatabase("bulk item leases", (database) => {
  it("three runners with four slots each take every item exactly once", async () => {
    const db = database().prisma;
    const operator = await db.operator.create({
      data: { email: `lease-${randomUUID()}@passdesk.test`, name: "Lease", role: "ADMIN", passwordHash: "x" },
      select: { id: true, email: true },
    });
    const job = await db.bulkJob.create({
      data: {
        operation: "password.reset_email",
        reason: "Lease test reason",
        source: "csv",
        sourceLabel: "lease.csv",
        status: "QUEUED",
        requestedById: operator.id,
        requestedByEmail: operator.email,
        expiresAt: new Date(Date.now() + 3_600_000),
        itemCount: 60,
        items: {
          create: Array.from({ length: 60 }, (_, i) => ({
            position: i + 2,
            input: `row-${i}`,
            userId: null,
            idempotencyKey: randomUUID(),
            status: "QUEUED" as const,
          })),
        },
      },
      select: { id: true },
    });
    // No Auth0 is reached for these items; the deps' clients are never called.
    const deps = { db } as unknown as DangerZoneDeps;
    const runners = ["lease-a", "lease-b", "lease-c"].map((runnerId) =>
      createBulkRunner({ deps, runnerId, leaseMs: 60_000, maxRps: 1_000, idleMs: 20, concurrency: 4 }),
    );
    for (const runner of runners) runner.start();
    await expect
      .poll(async () => (await db.bulkJob.findUnique({ where: { id: job.id }, select: { status: true } }))?.status, {
        timeout: 60_000,
        interval: 100,
      })
      .toBe("FINISHED");
    await Promise.all(runners.map((runner) => runner.stop()));
    const items = await db.bulkJobItem.findMany({ where: { jobId: job.id }, select: { status: true, attempts: true, errorCode: true } });
    expect(items).toHaveLength(60);
    expect(items.every((item) => item.status === "FAILED" && item.errorCode === "unknown" && item.attempts === 1)).toBe(true);
    expect(runners.reduce((sum, runner) => sum + runner.stats.items, 0)).toBe(60);
    const finished = await db.auditEvent.count({ where: { action: "bulk.finished", details: { path: ["bulkJobId"], equals: job.id } } });
    expect(finished).toBe(1);
  });
});
