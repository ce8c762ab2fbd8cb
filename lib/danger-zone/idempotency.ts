import "server-only";
import { createHash } from "node:crypto";
import { canonicalize } from "@/lib/audit/canonical";
import type { PrismaClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * "Double submission sends one request to Auth0": each dialog sends a random key; the first
 * request inserts it (ON CONFLICT DO NOTHING, so the database decides the race across app
 * instances), later ones with the same key get the stored result or "still running".
 * Failed attempts release their key so the operator can correct the input and try again.
 *
 * A key is bound to its operator, its action and a hash of the request's inputs: the same key
 * with another user, reason or option is a mismatch, never a replay of someone else's result.
 * The hash covers only non-secret fields. A password is left out on purpose: a hash of it in
 * the database would be an offline-guessable copy, and a genuine double submission carries the
 * same password anyway (the dialog makes a new key each time it opens).
 */

/** The non-secret inputs that decide what an operation does. */
export type IdempotencyInput = Readonly<Record<string, string | number | boolean | null>>;

/** Keys older than this are pruned: a double submission arrives within seconds, not days. */
export const IDEMPOTENCY_KEY_MAX_AGE_MS = 24 * 60 * 60_000;

export type IdempotencyClaim =
  | { status: "claimed" }
  | { status: "completed"; result: unknown }
  | { status: "in_progress" }
  /** The key belongs to another operator, another action or other inputs: never honoured. */
  | { status: "mismatch" };

/** SHA-256 (hex) over the canonical JSON of the action and its inputs (key order does not matter). */
export function idempotencyInputHash(action: string, input: IdempotencyInput): string {
  return createHash("sha256").update(canonicalize({ action, input })).digest("hex");
}

export async function claimIdempotencyKey(
  db: PrismaClient,
  input: { key: string; operatorId: string; action: string; inputHash: string },
): Promise<IdempotencyClaim> {
  const inserted = await db.idempotencyKey.createMany({
    data: [{ key: input.key, operatorId: input.operatorId, action: input.action, inputHash: input.inputHash }],
    skipDuplicates: true,
  });
  if (inserted.count === 1) return { status: "claimed" };
  const existing = await db.idempotencyKey.findUnique({
    where: { key: input.key },
    select: { operatorId: true, action: true, inputHash: true, result: true },
  });
  // Deleted between our insert and read (released by a failing first attempt): treat as running.
  if (!existing) return { status: "in_progress" };
  if (
    existing.operatorId !== input.operatorId ||
    existing.action !== input.action ||
    existing.inputHash !== input.inputHash
  )
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

/** Deletes keys first used before `now - maxAgeMs`; returns how many went. Run by the maintenance job. */
export async function pruneIdempotencyKeys(
  db: PrismaClient,
  options: { maxAgeMs?: number; now?: Date } = {},
): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.maxAgeMs ?? IDEMPOTENCY_KEY_MAX_AGE_MS));
  const { count } = await db.idempotencyKey.deleteMany({ where: { createdAt: { lt: cutoff } } });
  return count;
}
