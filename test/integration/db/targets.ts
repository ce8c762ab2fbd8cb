import { afterAll, beforeAll, describe } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";
import type { TestDatabase } from "@/lib/db/test-database";

/**
 * Integration suites run once per database: always on in-memory PGlite, and on a real
 * PostgreSQL server when TEST_DATABASE_URL is set (CI sets it with .ci/postgres.sh; each file
 * gets its own schema, dropped afterwards). Test code may read process.env; the app may not.
 */
const postgresUrl = process.env.TEST_DATABASE_URL || undefined;

type Target = { title: string; postgresUrl: string | undefined; skip: boolean };

export const DATABASE_TARGETS: readonly Target[] = [
  { title: "PGlite (in-memory)", postgresUrl: undefined, skip: false },
  {
    // Skipped, not silently passed: without a server there is nothing to run against.
    title: postgresUrl
      ? "PostgreSQL (TEST_DATABASE_URL)"
      : "PostgreSQL — skipped: TEST_DATABASE_URL is not set (CI sets it; locally run .ci/postgres.sh)",
    postgresUrl,
    skip: !postgresUrl,
  },
];

/**
 * Registers `suite` once per database target with a fresh migrated database for the block.
 * `database()` returns it inside tests and hooks.
 */
export function describeEachDatabase(
  title: string,
  suite: (database: () => TestDatabase, target: Target) => void,
): void {
  for (const target of DATABASE_TARGETS) {
    describe.skipIf(target.skip)(`${title} — ${target.title}`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase({ postgresUrl: target.postgresUrl });
      });
      afterAll(async () => {
        await current?.close();
      });
      suite(() => {
        if (!current) throw new Error("test database not ready");
        return current;
      }, target);
    });
  }
}
