import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db";
import { decideThrottle, windowStart, type FailureCounts, type ThrottleDecision } from "./throttle-rules";

/**
 * The database half of the sign-in throttle (rules in ./throttle-rules.ts). Checking and
 * recording are one step: under PostgreSQL advisory locks on the account and on the IP, the
 * failures are counted and, if the attempt is allowed, a row for it is written before the
 * password is checked. Simultaneous requests therefore queue on the lock and see each other's
 * rows — on one instance or many. A right password deletes the row again (`forgiveAttempt`).
 */

export type AttemptReservation = { allowed: true; attemptId: string } | Exclude<ThrottleDecision, { allowed: true }>;

type CountRow = {
  forAccountAndIp: bigint | number;
  oldestForAccountAndIp: Date | null;
  forIp: bigint | number;
  oldestForIp: Date | null;
  forAccount: bigint | number;
  lastForAccount: Date | null;
};

export async function reserveSignInAttempt(
  db: PrismaClient,
  input: { email: string; ip: string; now: Date },
): Promise<AttemptReservation> {
  const { email, ip, now } = input;
  const since = windowStart(now);
  const reservation = await db.$transaction(async (tx) => {
    // Always account first, then IP: one lock order, so two requests never deadlock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`passdesk:sign-in:account:${email}`}, 0))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`passdesk:sign-in:ip:${ip}`}, 0))`;
    const [row] = await tx.$queryRaw<CountRow[]>`
      SELECT
        count(*) FILTER (WHERE "email" = ${email} AND "ip" = ${ip}) AS "forAccountAndIp",
        min("createdAt") FILTER (WHERE "email" = ${email} AND "ip" = ${ip}) AS "oldestForAccountAndIp",
        count(*) FILTER (WHERE "ip" = ${ip}) AS "forIp",
        min("createdAt") FILTER (WHERE "ip" = ${ip}) AS "oldestForIp",
        count(*) FILTER (WHERE "email" = ${email}) AS "forAccount",
        max("createdAt") FILTER (WHERE "email" = ${email}) AS "lastForAccount"
      FROM "SignInFailure"
      WHERE "createdAt" >= ${since} AND ("email" = ${email} OR "ip" = ${ip})`;
    const counts: FailureCounts = {
      forAccountAndIp: Number(row?.forAccountAndIp ?? 0),
      oldestForAccountAndIp: row?.oldestForAccountAndIp ?? null,
      forIp: Number(row?.forIp ?? 0),
      oldestForIp: row?.oldestForIp ?? null,
      forAccount: Number(row?.forAccount ?? 0),
      lastForAccount: row?.lastForAccount ?? null,
    };
    const decision = decideThrottle(counts, now);
    if (!decision.allowed) return decision;
    const attemptId = randomUUID();
    await tx.signInFailure.create({ data: { id: attemptId, email, ip, createdAt: now }, select: { id: true } });
    return { allowed: true as const, attemptId };
  });
  await pruneSignInFailures(db, now);
  return reservation;
}

/**
 * The password was right: the reserved attempt does not count, and neither do this IP's earlier
 * failures for the account (the owner's own typos). Other IPs' failures stay.
 */
export async function forgiveAttempt(db: PrismaClient, input: { attemptId: string; email: string; ip: string }): Promise<void> {
  await db.signInFailure.deleteMany({
    where: { OR: [{ id: input.attemptId }, { email: input.email, ip: input.ip }] },
  });
}

/** Rows older than the window no longer count for anything; each attempt sweeps them away. */
export async function pruneSignInFailures(db: PrismaClient, now: Date): Promise<number> {
  const { count } = await db.signInFailure.deleteMany({ where: { createdAt: { lt: windowStart(now) } } });
  return count;
}
