import { defineConfig } from "prisma/config";

/**
 * Prisma CLI configuration (Prisma 7 reads this instead of a `url` in schema.prisma).
 *
 * Passdesk applies migrations with its own runner (`npm run db:migrate`, lib/db/migrate.ts)
 * because the CLI needs a native schema engine it cannot download offline. This file is what a
 * connected machine uses for `prisma migrate dev|deploy|status` against PostgreSQL; the runner
 * records `_prisma_migrations` exactly like the CLI, so both agree on what is applied.
 *
 * The CLI is a tool outside the app, so it reads DATABASE_URL directly rather than through
 * lib/env.ts; without it, commands that need no database (generate, format, validate) still work.
 */
const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  ...(databaseUrl ? { datasource: { url: databaseUrl } } : {}),
});
