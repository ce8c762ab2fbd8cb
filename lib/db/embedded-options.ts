import { PGlite, type PGliteOptions } from "@electric-sql/pglite";

/**
 * How the app opens its embedded database (lib/db/client.ts, the migration runner, the bench).
 * PostgreSQL's default 128 MB of shared buffers is touched at start-up and stays resident: in
 * PGlite that is the app process's own memory. 32 MB holds the working set of one Passdesk
 * (operators, sessions, keys, the index pages of the audit log); data beyond it is read from the
 * file system cache.
 */
export function embeddedDatabaseOptions(): PGliteOptions {
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams ?? [];
  return { startParams: [...defaults, "-c", "shared_buffers=32MB"] };
}
