import "server-only";
import type { PrismaClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * How a job that may run (approved, resumed) reaches whatever runs it. With PostgreSQL the
 * pg-boss queue (queue.ts) registers a dispatcher for the app's client: the queue jobs are
 * inserted in the same transaction as the status change, so an approval and its queue jobs
 * commit together or not at all. With the embedded database nothing is registered: the
 * polling runner finds QUEUED/RUNNING jobs by itself.
 *
 * Kept on globalThis: Next.js loads instrumentation.ts (which registers) and the server actions
 * (which dispatch) as separate module graphs that share one PrismaClient (lib/db/client.ts).
 */
export type BulkJobDispatcher = (tx: Prisma.TransactionClient, bulkJobId: string) => Promise<void>;

const holder = globalThis as typeof globalThis & {
  __passdeskBulkDispatchers?: WeakMap<PrismaClient, BulkJobDispatcher>;
};

function dispatchers(): WeakMap<PrismaClient, BulkJobDispatcher> {
  holder.__passdeskBulkDispatchers ??= new WeakMap();
  return holder.__passdeskBulkDispatchers;
}

/** Registers (or, with null, removes) the dispatcher for jobs changed through `db`. */
export function setBulkJobDispatcher(db: PrismaClient, dispatcher: BulkJobDispatcher | null): void {
  if (dispatcher) dispatchers().set(db, dispatcher);
  else dispatchers().delete(db);
}

/**
 * Runs `change` (a conditional status update returning how many rows it changed) and, when it
 * made the job runnable, dispatches the job — in one transaction when a dispatcher is set.
 */
export async function changeAndDispatch(
  db: PrismaClient,
  bulkJobId: string,
  change: (tx: Prisma.TransactionClient) => Promise<number>,
): Promise<number> {
  const dispatcher = dispatchers().get(db);
  if (!dispatcher) return change(db);
  return db.$transaction(async (tx) => {
    const count = await change(tx);
    if (count === 1) await dispatcher(tx, bulkJobId);
    return count;
  });
}
