import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { Pool } from "pg";
import type { PrismaClient } from "../generated/prisma/client";
import { createPGlitePrisma, createPostgresPrisma } from "./adapter";
import { applyMigrations } from "./migrate";
import type { MigrationResult } from "./migrate";
import { toSqlConnection } from "./sql-connection";
import type { SqlConnection } from "./sql-connection";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a private
 * schema on a real PostgreSQL server (`postgresUrl`, CI's TEST_DATABASE_URL) that is dropped on
 * close. Never import from app code.
 */
export type TestDatabase = {
  prisma: PrismaClient;
  /** Raw SQL on the same database (tampering in tests, introspection). */
  sql: SqlConnection;
  kind: "pglite" | "postgres";
  /** Schema holding the tables ("public" on PGlite). */
  schema: string;
  /** Another client on the same database, as a second app instance would have (caller disconnects it). */
  createClient(): PrismaClient;
  /** Runs the migration runner again on this database (tests of the runner itself). */
  migrate(options?: { migrationsDir?: string }): Promise<MigrationResult>;
  /** Disconnects and discards the database. */
  close(): Promise<void>;
};

export async function createTestDatabase(options: { postgresUrl?: string } = {}): Promise<TestDatabase> {
  if (!options.postgresUrl) {
    const pglite = new PGlite();
    await applyMigrations(pglite);
    const prisma = createPGlitePrisma(pglite);
    let closed = false;
    return {
      prisma,
      sql: toSqlConnection(pglite),
      kind: "pglite",
      schema: "public",
      createClient: () => createPGlitePrisma(pglite),
      migrate: (migrateOptions) => applyMigrations(pglite, migrateOptions),
      async close() {
        if (closed) return;
        closed = true;
        await prisma.$disconnect();
        await pglite.close();
      },
    };
  }

  const postgresUrl = options.postgresUrl;
  const schema = `passdesk_test_${randomBytes(6).toString("hex")}`;
  const admin = new Pool({ connectionString: options.postgresUrl, max: 1 });
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const pool = new Pool({
    connectionString: options.postgresUrl,
    options: `-c search_path="${schema}"`,
    max: 5,
  });
  try {
    await applyMigrations(pool);
  } catch (error) {
    await pool.end();
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
    throw error;
  }
  const prisma = createPostgresPrisma(options.postgresUrl, { schema });
  let closed = false;
  return {
    prisma,
    sql: toSqlConnection(pool),
    kind: "postgres",
    schema,
    createClient: () => createPostgresPrisma(postgresUrl, { schema }),
    migrate: (migrateOptions) => applyMigrations(pool, migrateOptions),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
