import { afterAll, beforeAll, expect, it } from "vitest";
import { createPostgresPrisma } from "@/lib/db/adapter";
import type { PrismaClient } from "@/lib/db";
import { forgiveAttempt, pruneSignInFailures, reserveSignInAttempt } from "@/lib/auth/sign-in-throttle";
import { describeEachDatabase } from "../db/targets";

/**
 * The throttle's check-and-record step against the real database. On PostgreSQL the attempts
 * are spread over two Prisma clients (two connection pools: two app instances).
 */
describeEachDatabase("sign-in throttle", (database, target) => {
  let second: PrismaClient | undefined;
  let clients: PrismaClient[];

  beforeAll(() => {
    if (target.postgresUrl) second = createPostgresPrisma(target.postgresUrl, { schema: database().schema });
    clients = second ? [database().prisma, second] : [database().prisma];
  });
  afterAll(async () => {
    await second?.$disconnect();
  });

  it("40 simultaneous attempts for one account from one IP: exactly 10 are let through and recorded", async () => {
    const now = new Date("2026-03-01T10:00:00.000Z");
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        reserveSignInAttempt(clients[index % clients.length] as PrismaClient, { email: "burst@passdesk.test", ip: "203.0.113.40", now }),
      ),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
    expect(results.filter((result) => !result.allowed && result.kind === "locked")).toHaveLength(30);
    expect(await database().prisma.signInFailure.count({ where: { email: "burst@passdesk.test" } })).toBe(10);
  });

  it("after 12 failures from an attacker's IP, the owner from another IP gets in after a few seconds", async () => {
    const email = "owner@passdesk.test";
    const start = new Date("2026-03-01T11:00:00.000Z");
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const at = new Date(start.getTime() + attempt * 60_000);
      expect((await reserveSignInAttempt(database().prisma, { email, ip: "203.0.113.66", now: at })).allowed, `attempt ${attempt}`).toBe(
        attempt < 10,
      );
    }
    // The attacker's IP is locked for this account; the account has 10 failures (1 s delay).
    const lastFailure = new Date(start.getTime() + 9 * 60_000);
    const owner = await reserveSignInAttempt(database().prisma, { email, ip: "198.51.100.10", now: new Date(lastFailure.getTime() + 500) });
    expect(owner).toEqual({ allowed: false, kind: "slowed", retryAt: new Date(lastFailure.getTime() + 1000) });
    const later = await reserveSignInAttempt(database().prisma, { email, ip: "198.51.100.10", now: new Date(start.getTime() + 12 * 60_000) });
    expect(later.allowed).toBe(true);
    // A right password forgives the reserved attempt (and the owner's IP's own failures).
    if (later.allowed) await forgiveAttempt(database().prisma, { attemptId: later.attemptId, email, ip: "198.51.100.10" });
    expect(await database().prisma.signInFailure.count({ where: { email, ip: "198.51.100.10" } })).toBe(0);
    expect(await database().prisma.signInFailure.count({ where: { email, ip: "203.0.113.66" } })).toBe(10);
  });

  it("prunes failures older than the window on the next attempt", async () => {
    await database().prisma.signInFailure.createMany({
      data: [
        { email: "old@passdesk.test", ip: "203.0.113.1", createdAt: new Date("2026-03-02T08:00:00.000Z") },
        { email: "old@passdesk.test", ip: "203.0.113.1", createdAt: new Date("2026-03-02T08:44:00.000Z") },
        { email: "recent@passdesk.test", ip: "203.0.113.2", createdAt: new Date("2026-03-02T08:46:00.000Z") },
      ],
    });
    await reserveSignInAttempt(database().prisma, { email: "someone@passdesk.test", ip: "203.0.113.3", now: new Date("2026-03-02T09:00:00.000Z") });
    const left = await database().prisma.signInFailure.findMany({
      where: { email: { in: ["old@passdesk.test", "recent@passdesk.test", "someone@passdesk.test"] } },
      select: { email: true },
      orderBy: { email: "asc" },
    });
    expect(left.map((row) => row.email)).toEqual(["recent@passdesk.test", "someone@passdesk.test"]);
    expect(await pruneSignInFailures(database().prisma, new Date("2026-03-02T10:00:00.000Z"))).toBe(2);
  });
});
