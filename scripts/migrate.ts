/**
 * `npm run db:migrate`: applies prisma/migrations to the configured database — PostgreSQL when
 * DATABASE_URL is set, otherwise the embedded database in ${DATA_DIR}/db (taking its process
 * lock, so it refuses to run while the app has the database open). Exit code 0 on success.
 * Run with `tsx --conditions=react-server` (lib/db modules are server-only).
 */
import { migrateDatabase } from "../lib/db/migrate-database";

migrateDatabase().then(
  ({ where, result }) => {
    const applied = result.applied.length ? `applied ${result.applied.join(", ")}` : "nothing to apply";
    console.log(`Migrations on ${where}: ${applied} (${result.skipped.length} already applied).`);
    if (result.unknown.length) {
      console.warn(
        `Note: the database has migrations this version does not know: ${result.unknown.join(", ")}`,
      );
    }
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
