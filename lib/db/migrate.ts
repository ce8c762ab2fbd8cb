import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { toSqlConnection } from "./sql-connection";
import type { SqlConnection, SqlDriver } from "./sql-connection";

/**
 * Applies prisma/migrations without the Prisma CLI (which needs a native engine it cannot
 * download offline). Records `_prisma_migrations` rows exactly as `prisma migrate deploy` does —
 * same table, checksum = SHA-256 hex of migration.sql, finished_at, applied_steps_count = 1 — so
 * the CLI on a connected machine sees these migrations as applied, and vice versa.
 *
 * Unlike the CLI, each migration runs in one transaction with its bookkeeping row, so a failed
 * migration leaves nothing behind and can simply be fixed and re-run.
 */

/** prisma/migrations of this checkout (scripts and tests run from source, so this file's folder works). */
export function defaultMigrationsDir(): string {
  // Inside a bundle import.meta.dirname may be missing; the process then runs from the repo root.
  const here: string | undefined = import.meta.dirname;
  return here ? path.resolve(here, "..", "..", "prisma", "migrations") : path.resolve("prisma", "migrations");
}

/** Same lock key as the Prisma CLI, so our runner and `prisma migrate deploy` never overlap. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/** DDL of Prisma's bookkeeping table for PostgreSQL, verbatim from the schema engine. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export type MigrationFile = {
  /** Folder name, e.g. `0001_init`; Prisma's `migration_name`. */
  name: string;
  script: string;
  checksum: string;
};

export type MigrationResult = {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Migrations that were already applied. */
  skipped: string[];
  /** Rows in `_prisma_migrations` with no folder here (a newer version of the app applied them). */
  unknown: string[];
};

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MigrationError";
  }
}

export function checksumOf(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/** Prisma also accepts a file whose line endings git converted (LF <-> CRLF). */
function matchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replace(/\r\n/g, "\n"), script.replace(/(?<!\r)\n/g, "\r\n")];
  return variants.some((variant) => checksumOf(variant) === checksum);
}

/** Migration folders containing a migration.sql, in name order (Prisma's order). */
export function readMigrations(migrationsDir: string = defaultMigrationsDir()): MigrationFile[] {
  if (!existsSync(migrationsDir)) {
    throw new MigrationError(`No migrations folder at ${migrationsDir}`);
  }
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, "migration.sql")),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const script = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      return { name, script, checksum: checksumOf(script) };
    });
}

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
};

async function applyAll(connection: SqlConnection, migrations: MigrationFile[]): Promise<MigrationResult> {
  await connection.exec(CREATE_MIGRATIONS_TABLE);
  const rows = await connection.query<AppliedRow>(
    `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations" ORDER BY "started_at"`,
  );
  const active = rows.filter((row) => row.rolled_back_at === null);

  const failed = active.find((row) => row.finished_at === null);
  if (failed) {
    // Same rule as Prisma (P3009): a half-applied migration must be resolved by a person.
    throw new MigrationError(
      `Migration ${failed.migration_name} failed earlier and was not rolled back; fix the database, ` +
        `then run \`prisma migrate resolve --rolled-back ${failed.migration_name}\` (or delete its ` +
        `row from _prisma_migrations) and migrate again.`,
    );
  }

  const result: MigrationResult = { applied: [], skipped: [], unknown: [] };
  const names = new Set(migrations.map((migration) => migration.name));
  result.unknown = active.map((row) => row.migration_name).filter((name) => !names.has(name));

  for (const migration of migrations) {
    const done = active.find((row) => row.migration_name === migration.name);
    if (done) {
      if (!matchesChecksum(migration.script, done.checksum)) {
        throw new MigrationError(
          `Migration ${migration.name} was modified after it was applied (checksum ${done.checksum} in ` +
            `the database, ${migration.checksum} on disk). Restore the original file and put the ` +
            `change in a new migration.`,
        );
      }
      result.skipped.push(migration.name);
      continue;
    }
    try {
      await connection.transaction(async (session) => {
        const id = randomUUID();
        await session.query(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count")
           VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await session.exec(migration.script);
        await session.query(
          `UPDATE "_prisma_migrations"
           SET "finished_at" = clock_timestamp(), "applied_steps_count" = "applied_steps_count" + 1
           WHERE "id" = $1`,
          [id],
        );
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`, {
        cause: error,
      });
    }
    result.applied.push(migration.name);
  }
  return result;
}

/**
 * Applies every pending migration, in order, each in its own transaction. Safe to call on
 * every start: applied migrations are skipped; a changed applied migration is refused.
 * Several processes may call it at once against PostgreSQL (advisory lock, like Prisma).
 */
export async function applyMigrations(
  driver: SqlDriver,
  options: { migrationsDir?: string } = {},
): Promise<MigrationResult> {
  const migrations = readMigrations(options.migrationsDir);
  return toSqlConnection(driver).withSession(async (connection) => {
    await connection.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY})`);
    try {
      return await applyAll(connection, migrations);
    } finally {
      await connection.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK_KEY})`).catch(() => undefined);
    }
  });
}
