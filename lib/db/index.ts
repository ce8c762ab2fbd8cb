import "server-only";

// What the app imports. The migration runner is deliberately not re-exported here: it reads
// prisma/migrations from disk and must not be bundled into the Next.js server
// (scripts use lib/db/migrate-database.ts).
export { closePrisma, getPrisma, type PrismaClient } from "./client";
export { DatabaseLockedError } from "./lock";
