import "server-only";
import type { PrismaClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * "Double submission sends one request to Auth0": each dialog sends a random key; the first
 * request inserts it (ON CONFLICT DO NOTHING, so the database decides the race across app
 * instances), later ones with the same key get the stored result or "still running".
 * Failed attempts release their key so the operator can correct the input and try again.
 */

export type IdempotencyClaim =
  | { status: "claimed" }
  | { status: "completed"; result: unknown }
  | { status: "in_progress" }
  /** The key belongs to another operator or another action: never honoured. */
  | { status: "mismatch" };

export async function claimIdempotencyKey(
  db: PrismaClient,
  input: { key: string; operatorId: string; action: string },
): Promise<IdempotencyClaim> {
  const inserted = await db.idempotencyKey.createMany({
    data: [{ key: input.key, operatorId: input.operatorId, action: input.action }],
    skipDuplicates: true,
  });
  if (inserted.count === 1) return { status: "claimed" };
  const existing = await db.idempotencyKey.findUnique({
    where: { key: input.key },
    select: { operatorId: true, action: true, result: true },
  });
  // Deleted between our insert and read (released by a failing first attempt): treat as running.
  if (!existing) return { status: "in_progress" };
  if (existing.operatorId !== input.operatorId || existing.action !== input.action)
    return { status: "mismatch" };
  if (existing.result === null) return { status: "in_progress" };
  return { status: "completed", result: existing.result };
}

/** Stores the (secret-free) result for later duplicates. */
export async function completeIdempotencyKey(
  db: PrismaClient,
  key: string,
  result: Prisma.InputJsonValue,
): Promise<void> {
  await db.idempotencyKey.update({ where: { key }, data: { result }, select: { key: true } });
}

/** Forgets a key whose attempt failed (nothing to replay). Best effort: the database may be gone. */
export async function releaseIdempotencyKey(db: PrismaClient, key: string): Promise<void> {
  // Only our own failed attempt calls this, so the row has no result yet.
  await db.idempotencyKey.deleteMany({ where: { key } }).catch(() => undefined);
}
