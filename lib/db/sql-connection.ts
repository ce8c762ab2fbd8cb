import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";

/**
 * The smallest SQL surface the migration runner and tests need, over both drivers Passdesk
 * uses: an embedded PGlite instance or a `pg` Pool. Kept separate from Prisma on purpose:
 * migrations run before any PrismaClient exists, and multi-statement scripts need the
 * simple-query protocol that Prisma's `$executeRaw` does not use.
 */
export type SqlSession = {
  /** One parameterized statement; returns its rows. */
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of any number of statements, no parameters. */
  exec(script: string): Promise<void>;
};

export type SqlConnection = SqlSession & {
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `work` holding one connection for its whole duration (session-level locks). */
  withSession<T>(work: (connection: SqlConnection) => Promise<T>): Promise<T>;
};

export type SqlDriver = PGlite | Pool;

function isPool(driver: SqlDriver): driver is Pool {
  // PGlite has no `connect`; a pg Pool has no `transaction`.
  return typeof (driver as Partial<Pool>).connect === "function" && !("transaction" in driver);
}

function fromPGliteLike(client: PGlite | Transaction): SqlSession {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(script: string) {
      await client.exec(script);
    },
  };
}

function fromPGlite(db: PGlite): SqlConnection {
  const connection: SqlConnection = {
    ...fromPGliteLike(db),
    // PGlite serializes its own transactions with an internal mutex; other queries wait for them.
    transaction: (work) => db.transaction((tx) => work(fromPGliteLike(tx))),
    // PGlite is a single connection already.
    withSession: (work) => work(connection),
  };
  return connection;
}

function fromPoolClient(client: PoolClient): SqlConnection {
  const session: SqlSession = {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params]);
      return result.rows as Row[];
    },
    async exec(script: string) {
      // No parameters: pg uses the simple-query protocol, which accepts several statements.
      await client.query(script);
    },
  };
  const connection: SqlConnection = {
    ...session,
    async transaction(work) {
      await client.query("BEGIN");
      try {
        const result = await work(session);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    withSession: (work) => work(connection),
  };
  return connection;
}

function fromPool(pool: Pool): SqlConnection {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, [...params]);
      return result.rows as Row[];
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        return await fromPoolClient(client).transaction(work);
      } finally {
        client.release();
      }
    },
    async withSession(work) {
      const client = await pool.connect();
      try {
        return await work(fromPoolClient(client));
      } finally {
        client.release();
      }
    },
  };
}

/** Wraps a PGlite instance or a pg Pool in the common interface. */
export function toSqlConnection(driver: SqlDriver): SqlConnection {
  return isPool(driver) ? fromPool(driver) : fromPGlite(driver);
}
