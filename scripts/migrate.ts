/**
 * `npm run db:migrate`: applies prisma/migrations to the configured database — PostgreSQL when
 * DATABASE_URL is set, otherwise the embedded database in ${DATA_DIR}/db (taking its process
 * lock, so it refuses to run while the app has the database open). Exit code 0 on success.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Pool } from "pg";
import { getEnv } from "../lib/env";
import { acquireDatabaseLock } from "../lib/db/lock";
import { applyMigrations } from "../lib/db/migrate";
import type { MigrationResult } from "../lib/db/migrate";

async function migrate(): Promise<{ where: string; result: MigrationResult }> {
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
  const pglite = new PGlite(dataDir);
  try {
    return { where: `the embedded database in ${dataDir}`, result: await applyMigrations(pglite) };
  } finally {
    await pglite.close();
    lock.release();
  }
}

migrate().then(
  ({ where, result }) => {
    const applied = result.applied.length ? `applied ${result.applied.join(", ")}` : "nothing to apply";
    console.log(`Migrations on ${where}: ${applied} (${result.skipped.length} already applied).`);
    if (result.unknown.length) {
      console.warn(`Note: the database has migrations this version does not know: ${result.unknown.join(", ")}`);
    }
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
