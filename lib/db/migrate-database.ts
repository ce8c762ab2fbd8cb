import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Pool } from "pg";
import { getEnv } from "../env";
import { embeddedDatabaseOptions } from "./embedded-options";
import { acquireDatabaseLock } from "./lock";
import { applyMigrations, type MigrationResult } from "./migrate";

/**
 * Applies pending migrations to the configured database (PostgreSQL when DATABASE_URL is set,
 * else the embedded one, under its process lock). Called before the server starts, never while
 * it runs: by scripts/prepare.ts, `npm run db:migrate` and the operator CLI. Kept out of
 * lib/db/index.ts so the Next.js bundle never includes the migration runner.
 */
export async function migrateDatabase(): Promise<{ where: string; result: MigrationResult }> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const pool = new Pool({ connectionString: env.DATABASE_URL, max: 1 });
    try {
      return { where: "PostgreSQL (DATABASE_URL)", result: await applyMigrations(pool) };
    } finally {
      await pool.end();
    }
  }
  const lock = acquireDatabaseLock(env.DATA_DIR);
  const dataDir = path.resolve(env.DATA_DIR, "db");
  mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, embeddedDatabaseOptions());
  try {
    return { where: `the embedded database in ${dataDir}`, result: await applyMigrations(pglite) };
  } finally {
    await pglite.close();
    lock.release();
  }
}
