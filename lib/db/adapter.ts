import { type PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client";
import { toSqlConnection, type SqlSession } from "./sql-connection";

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

/**
 * The driver under each client this module built. Hot paths that are one fixed statement (the
 * audit append) run on it directly: Prisma's own per-query work costs several times the
 * statement on PGlite and a local PostgreSQL.
 */
const drivers = new WeakMap<PrismaClient, SqlSession>();

/** The raw SQL session on the same database as `client`, if this module built it. */
export function driverOf(client: PrismaClient): SqlSession | undefined {
  return drivers.get(client);
}

export function createPGlitePrisma(pglite: PGlite): PrismaClient {
  const client = new PrismaClient({
    adapter: new PrismaPGlite(pglite),
    transactionOptions: EMBEDDED_TRANSACTION_OPTIONS,
  });
  drivers.set(client, toSqlConnection(pglite));
  return client;
}

export function createPostgresPrisma(
  connectionString: string,
  options: { schema?: string } = {},
): PrismaClient {
  // One pool for Prisma and the raw hot path; Prisma ends it on $disconnect.
  const pool = new Pool(
    options.schema
      ? { connectionString, options: `-c search_path="${options.schema}"` }
      : { connectionString },
  );
  const adapter = new PrismaPg(pool, {
    ...(options.schema ? { schema: options.schema } : {}),
    disposeExternalPool: true,
  });
  const client = new PrismaClient({ adapter, transactionOptions: POSTGRES_TRANSACTION_OPTIONS });
  drivers.set(client, toSqlConnection(pool));
  return client;
}
