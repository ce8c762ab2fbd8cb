import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { getEnv } from "../env";
import type { PrismaClient } from "../generated/prisma/client";
import { createPGlitePrisma, createPostgresPrisma } from "./adapter";
import { embeddedDatabaseOptions } from "./embedded-options";
import { acquireDatabaseLock } from "./lock";

export type { PrismaClient } from "../generated/prisma/client";

type DatabaseState = {
  client: Promise<PrismaClient>;
  close: () => Promise<void>;
};

/**
 * Stashed on globalThis so dev-mode hot reloads reuse one client (and one PGlite instance:
 * two instances on the same directory would corrupt it).
 */
const globalForDatabase = globalThis as typeof globalThis & { passdeskDatabase?: DatabaseState };

function openDatabase(): DatabaseState {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const client = createPostgresPrisma(env.DATABASE_URL);
    return { client: Promise.resolve(client), close: () => client.$disconnect() };
  }

  // Embedded: take the process lock before PGlite touches the directory.
  const lock = acquireDatabaseLock(env.DATA_DIR);
  const dataDir = path.resolve(env.DATA_DIR, "db");
  mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, embeddedDatabaseOptions());
  const client = pglite.waitReady.then(() => createPGlitePrisma(pglite));
  return {
    client,
    async close() {
      await (await client.catch(() => undefined))?.$disconnect();
      await pglite.close().catch(() => undefined);
      lock.release();
    },
  };
}

function getState(): DatabaseState {
  if (!globalForDatabase.passdeskDatabase) {
    const state = openDatabase();
    globalForDatabase.passdeskDatabase = state;
    // A failed open (bad directory, PGlite version mismatch) must not be cached forever.
    state.client.catch(() => {
      if (globalForDatabase.passdeskDatabase === state) {
        globalForDatabase.passdeskDatabase = undefined;
        void state.close();
      }
    });
  }
  return globalForDatabase.passdeskDatabase;
}

/**
 * The app's PrismaClient: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set,
 * otherwise the embedded PGlite database in `${DATA_DIR}/db` (locked to this process).
 * Migrations are not applied here: they run before the server starts (lib/db/migrate-database.ts).
 *
 * @throws DatabaseLockedError (synchronously rejected promise) when another process holds the
 * embedded database.
 */
export async function getPrisma(): Promise<PrismaClient> {
  return getState().client;
}

/** Closes the client (and the embedded database and its lock). For scripts and graceful shutdown. */
export async function closePrisma(): Promise<void> {
  const state = globalForDatabase.passdeskDatabase;
  globalForDatabase.passdeskDatabase = undefined;
  await state?.close();
}
