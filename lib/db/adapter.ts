import { type PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client";

/**
 * Builds PrismaClients over either driver. No "server-only" marker: tests and scripts use it
 * through lib/db/test-database.ts; the app reaches it only through lib/db/client.ts (marked).
 */

/**
 * PGlite is one connection: interactive transactions queue on its internal mutex. Prisma's
 * default maxWait (2 s) would abort queued callers under load — and an aborted start can leave
 * PGlite's queue wedged — so embedded clients wait much longer. The timeout bounds one
 * transaction's own work.
 */
export const EMBEDDED_TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 20_000 } as const;
export const POSTGRES_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

export function createPGlitePrisma(pglite: PGlite): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPGlite(pglite),
    transactionOptions: EMBEDDED_TRANSACTION_OPTIONS,
  });
}

export function createPostgresPrisma(
  connectionString: string,
  options: { schema?: string } = {},
): PrismaClient {
  const adapter = options.schema
    ? new PrismaPg(
        { connectionString, options: `-c search_path="${options.schema}"` },
        { schema: options.schema },
      )
    : new PrismaPg({ connectionString });
  return new PrismaClient({ adapter, transactionOptions: POSTGRES_TRANSACTION_OPTIONS });
}
