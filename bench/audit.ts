/**
 * Audit-log figures, run in a child process with `tsx --conditions=react-server` (lib/audit
 * imports "server-only"):
 *   - append throughput with the hash chain, one at a time and 50 callers at once (group commit),
 *     on embedded PGlite (file-backed, as the app uses it) and on PostgreSQL when reachable;
 *   - the per-user history query (lib/audit/query.ts, as the user page calls it) and the audit
 *     page's target filter, p50/p95 with `events` rows in the table.
 * Input: one JSON argument (AuditBenchInput). Output: one JSON line (AuditBenchOutput) on stdout.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { Pool } from "pg";
import { appendAuditEvent, type AuditEventInput } from "@/lib/audit/append";
import { listAuditEvents, listUserPasswordEvents } from "@/lib/audit/query";
import { verifyAuditChain } from "@/lib/audit/verify";
import { createPGlitePrisma } from "@/lib/db/adapter";
import { embeddedDatabaseOptions } from "@/lib/db/embedded-options";
import { applyMigrations } from "@/lib/db/migrate";
import { toSqlConnection, type SqlConnection } from "@/lib/db/sql-connection";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { round, runPool, summarize, type LatencySummary } from "./lib/stats";

export type AuditBenchInput = {
  /** Events appended per throughput measurement (each mode). */
  appends: number;
  /** Callers in flight for the concurrent measurement. */
  concurrency: number;
  /** Rows in the table for the query measurement. */
  events: number;
  /** Queries timed (after a warm-up of a tenth of that). */
  queries: number;
  /** Candidate PostgreSQL URLs; the first that answers is used. */
  postgresUrls: string[];
  /** Empty directory for the file-backed PGlite database (the parent deletes it). */
  pgliteDirectory: string;
};

/** Closes what is open when the parent stops this process (Ctrl-C): the PostgreSQL schema is dropped. */
const closers = new Set<() => Promise<void>>();
process.once("SIGTERM", () => {
  void Promise.allSettled([...closers].map((close) => close())).finally(() => process.exit(143));
});

export type AppendFigures = {
  sequentialPerSec: number;
  concurrentPerSec: number;
  concurrency: number;
  appended: number;
  chainIntact: boolean;
};

export type QueryFigures = {
  events: number;
  targetUsers: number;
  bulkInsertSec: number;
  userHistory: LatencySummary;
  auditPageTargetFilter: LatencySummary;
};

export type DatabaseFigures = { append: AppendFigures; query: QueryFigures };

export type AuditBenchOutput = {
  pglite: DatabaseFigures;
  postgres: DatabaseFigures | { skipped: string };
};

function log(message: string): void {
  process.stderr.write(`[bench:audit] ${message}\n`);
}

function eventInput(index: number): AuditEventInput {
  return {
    action: "password.set",
    outcome: "PENDING",
    actor: { operatorId: "bench-operator", email: "support@passdesk.test", role: "SUPPORT" },
    target: {
      userId: `auth0|bench-append-${index % 500}`,
      email: `user${index % 500}@example.com`,
      connection: "Username-Password-Authentication",
    },
    reason: "Customer called in, verified identity with the last four digits of the card",
    request: { requestId: randomUUID(), ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) bench" },
    details: { connection: "Username-Password-Authentication", idempotencyKey: randomUUID(), generated: true },
  };
}

async function measureAppends(db: PrismaClient, input: AuditBenchInput, label: string): Promise<AppendFigures> {
  // Warm-up: connection, prepared statements, JIT.
  for (let index = 0; index < 20; index++) await appendAuditEvent(db, eventInput(index));

  let started = performance.now();
  for (let index = 0; index < input.appends; index++) await appendAuditEvent(db, eventInput(index));
  const sequentialPerSec = input.appends / ((performance.now() - started) / 1000);

  started = performance.now();
  await runPool(input.appends, input.concurrency, async (index) => {
    await appendAuditEvent(db, eventInput(index));
  });
  const concurrentPerSec = input.appends / ((performance.now() - started) / 1000);

  const verification = await verifyAuditChain(db);
  log(`${label}: ${sequentialPerSec.toFixed(0)}/s one at a time, ${concurrentPerSec.toFixed(0)}/s with ${input.concurrency} callers; chain ${verification.ok ? "intact" : "BROKEN"}`);
  return {
    sequentialPerSec: round(sequentialPerSec, 0),
    concurrentPerSec: round(concurrentPerSec, 0),
    concurrency: input.concurrency,
    appended: 2 * input.appends + 20,
    chainIntact: verification.ok,
  };
}

const INSERT_BATCH = 100_000;

/**
 * Fills the table with plausible rows in bulk (generate_series; the append-only trigger refuses
 * only UPDATE/DELETE): operations are PENDING + outcome pairs for password actions spread over
 * `users` target users, every tenth pair an operator sign-in without a target. Hashes are
 * synthetic — this part measures reads, not the chain.
 */
async function bulkInsert(sql: SqlConnection, events: number, users: number): Promise<void> {
  const [head] = await sql.query<{ sequence: string }>(`SELECT "sequence"::text AS "sequence" FROM "AuditChainHead" WHERE "id" = 1`);
  const base = Number(head?.sequence ?? 0);
  for (let offset = 0; offset < events; offset += INSERT_BATCH) {
    const from = base + offset + 1;
    const to = base + Math.min(events, offset + INSERT_BATCH);
    await sql.query(
      `
      INSERT INTO "AuditEvent" ("sequence","time","actorOperatorId","actorEmail","actorRole","action","outcome",
        "relatedSequence","targetUserId","targetEmail","targetConnection","reason","requestId","ip","userAgent",
        "details","prevHash","hash")
      SELECT s,
        timestamptz '2024-01-01 00:00:00+00' + ((s - $1) * interval '20 seconds'),
        'bench-operator-' || (k % 25),
        'operator' || (k % 25) || '@passdesk.test',
        (CASE WHEN k % 25 < 3 THEN 'ADMIN' ELSE 'SUPPORT' END)::"OperatorRole",
        CASE WHEN k % 10 = 9 THEN 'operator.sign_in' WHEN k % 10 = 8 THEN 'password.ticket'
             WHEN k % 10 = 7 THEN 'password.reset_email' ELSE 'password.set' END,
        (CASE WHEN k % 10 = 9 THEN 'SUCCEEDED' WHEN s % 2 = 1 THEN 'PENDING'
              WHEN k % 17 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"AuditOutcome",
        CASE WHEN k % 10 <> 9 AND s % 2 = 0 THEN s - 1 END,
        CASE WHEN k % 10 <> 9 THEN 'auth0|bench' || ((k * 7919) % $3) END,
        CASE WHEN k % 10 <> 9 THEN 'user' || ((k * 7919) % $3) || '@example.com' END,
        CASE WHEN k % 10 <> 9 THEN 'Username-Password-Authentication' END,
        CASE WHEN k % 10 <> 9 AND s % 2 = 1 THEN 'Customer called in; identity verified (ticket ' || k || ')' END,
        md5(s::text), '198.51.100.' || (k % 250), 'Mozilla/5.0 (bench)',
        CASE WHEN k % 10 = 9 THEN '{}'::jsonb ELSE '{"connection":"Username-Password-Authentication","httpStatus":200}'::jsonb END,
        encode(sha256(('bench-' || (s - 1))::bytea), 'hex'),
        encode(sha256(('bench-' || s)::bytea), 'hex')
      FROM generate_series($1::bigint, $2::bigint) AS s, LATERAL (SELECT (s + 1) / 2 AS k) AS pair`,
      [from, to, users],
    );
    log(`inserted ${to - base} / ${events} events`);
  }
  const last = base + events;
  await sql.query(`UPDATE "AuditChainHead" SET "sequence" = $1::bigint, "hash" = encode(sha256(('bench-' || $1::bigint::text)::bytea), 'hex'), "updatedAt" = now() WHERE "id" = 1`, [last]);
  // A long-running database has statistics; a freshly filled one needs them once.
  await sql.exec(`ANALYZE "AuditEvent"`);
}

async function measureQueries(db: PrismaClient, sql: SqlConnection, input: AuditBenchInput, label: string): Promise<QueryFigures> {
  const users = Math.max(1, Math.round(input.events / 50));
  const [existing] = await sql.query<{ count: string }>(`SELECT count(*)::text AS count FROM "AuditEvent"`);
  const toInsert = Math.max(0, input.events - Number(existing?.count ?? 0));
  const started = performance.now();
  await bulkInsert(sql, toInsert, users);
  const bulkInsertSec = round((performance.now() - started) / 1000, 1);
  log(`${label}: ${input.events} events in the table (bulk insert ${bulkInsertSec}s)`);

  const warmup = Math.max(5, Math.round(input.queries / 10));
  const randomUser = () => `auth0|bench${Math.floor(Math.random() * users)}`;
  const history: number[] = [];
  const filter: number[] = [];
  for (let index = 0; index < warmup + input.queries; index++) {
    const userId = randomUser();
    // Alternate which query runs first so caches favour neither.
    const runs: [number[], () => Promise<unknown>][] = [
      [history, () => listUserPasswordEvents(db, userId)],
      [filter, () => listAuditEvents(db, { target: userId })],
    ];
    if (index % 2 === 1) runs.reverse();
    for (const [samples, run] of runs) {
      const t0 = performance.now();
      await run();
      if (index >= warmup) samples.push(performance.now() - t0);
    }
  }
  const result = { events: input.events, targetUsers: users, bulkInsertSec, userHistory: summarize(history), auditPageTargetFilter: summarize(filter) };
  log(`${label}: user history p50 ${result.userHistory.p50} ms p95 ${result.userHistory.p95} ms`);
  return result;
}

async function benchPGlite(input: AuditBenchInput): Promise<DatabaseFigures> {
  const directory = input.pgliteDirectory;
  await mkdir(directory, { recursive: true });
  const pglite = new PGlite(directory, embeddedDatabaseOptions());
  const close = () => pglite.close().catch(() => undefined);
  closers.add(close);
  try {
    await applyMigrations(pglite);
    const prisma = createPGlitePrisma(pglite);
    try {
      const append = await measureAppends(prisma, input, "PGlite");
      const query = await measureQueries(prisma, toSqlConnection(pglite), input, "PGlite");
      return { append, query };
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    closers.delete(close);
    await close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function reachablePostgres(urls: readonly string[]): Promise<string | undefined> {
  for (const url of urls) {
    const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 2_000 });
    try {
      await pool.query("SELECT 1");
      return url;
    } catch {
      // try the next one
    } finally {
      await pool.end().catch(() => undefined);
    }
  }
  return undefined;
}

async function benchPostgres(input: AuditBenchInput): Promise<DatabaseFigures | { skipped: string }> {
  const url = await reachablePostgres(input.postgresUrls);
  if (!url) return { skipped: "no PostgreSQL" };
  const database = await createTestDatabase({ postgresUrl: url });
  const close = () => database.close();
  closers.add(close);
  try {
    const append = await measureAppends(database.prisma, input, "PostgreSQL");
    const query = await measureQueries(database.prisma, database.sql, input, "PostgreSQL");
    return { append, query };
  } finally {
    closers.delete(close);
    await database.close();
  }
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? "{}") as AuditBenchInput;
  const pglite = await benchPGlite(input);
  const postgres = await benchPostgres(input);
  const output: AuditBenchOutput = { pglite, postgres };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
