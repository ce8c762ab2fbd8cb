import "server-only";
import { Prisma } from "../generated/prisma/client";
import type { PrismaClient } from "../generated/prisma/client";
import type { AuditOutcome, OperatorRole } from "../generated/prisma/enums";
import type { AuditAction } from "./actions";
import { driverOf } from "../db/adapter";
import { assertSafeText, sanitizeAuditDetails } from "./details";
import type { AuditDetails, AuditDetailsInput, SanitizeMode } from "./details";
import { GENESIS_HASH, hashAuditEvent } from "./hash";
import type { HashableAuditEvent } from "./hash";

/** Who acted: copied into the event as it is at that moment. */
export type AuditActor = {
  operatorId: string | null;
  email: string | null;
  role: OperatorRole | null;
};

/** The Auth0 user acted upon. */
export type AuditTarget = {
  userId?: string | null;
  email?: string | null;
  connection?: string | null;
};

/** The HTTP request that caused the event. */
export type AuditRequestContext = {
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export type AuditEventInput = {
  action: AuditAction;
  outcome: AuditOutcome;
  actor?: AuditActor | null;
  target?: AuditTarget | null;
  reason?: string | null;
  request?: AuditRequestContext | null;
  details?: AuditDetailsInput | null;
  /** For an outcome event: the PENDING event it resolves. */
  relatedSequence?: bigint | null;
};

export type AppendOptions = {
  /** "throw" (default): a secret-looking detail refuses the write. "redact": it is replaced. */
  detailsMode?: SanitizeMode;
  /** Exact values (e.g. the password being set) that must appear in no field of the event. */
  mustNotContain?: readonly string[];
};

export type AppendedAuditEvent = {
  sequence: bigint;
  hash: string;
  time: Date;
};

export class AuditOutcomeConflictError extends Error {
  constructor(
    readonly pendingSequence: bigint,
    reason: string,
  ) {
    super(`Cannot record an outcome for audit event ${pendingSequence}: ${reason}`);
    this.name = "AuditOutcomeConflictError";
  }
}

const HEAD_ID = 1;

type ChainHeadRow = { sequence: bigint; hash: string };
type TransactionClient = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

function normalizeEmail(email: string | null | undefined): string | null {
  return email ? email.trim().toLowerCase() : null;
}

/** Builds the stored row (minus sequence/prevHash/hash) and refuses anything secret-looking. */
function prepareEvent(input: AuditEventInput, options: AppendOptions) {
  const mustNotContain = options.mustNotContain ?? [];
  const details: AuditDetails = sanitizeAuditDetails(input.details, {
    mode: options.detailsMode ?? "throw",
    mustNotContain,
  });
  const fields = {
    actorOperatorId: input.actor?.operatorId ?? null,
    actorEmail: normalizeEmail(input.actor?.email),
    actorRole: input.actor?.role ?? null,
    action: input.action,
    outcome: input.outcome,
    relatedSequence: input.relatedSequence ?? null,
    targetUserId: input.target?.userId ?? null,
    targetEmail: normalizeEmail(input.target?.email),
    targetConnection: input.target?.connection ?? null,
    reason: input.reason?.trim() || null,
    requestId: input.request?.requestId ?? null,
    ip: input.request?.ip ?? null,
    userAgent: input.request?.userAgent?.slice(0, 500) ?? null,
    details,
  };
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value === "string") assertSafeText(field, value, mustNotContain);
  }
  return fields;
}

async function lockChainHead(tx: TransactionClient): Promise<ChainHeadRow> {
  // FOR UPDATE on the single head row serializes appends across all app instances until commit.
  const rows = await tx.$queryRaw<ChainHeadRow[]>`
    SELECT "sequence", "hash" FROM "AuditChainHead" WHERE "id" = ${HEAD_ID} FOR UPDATE`;
  const head = rows[0];
  if (head) return head;
  // Migration 0002 creates the row; recreate it if someone removed it, then lock it.
  await tx.$executeRaw`
    INSERT INTO "AuditChainHead" ("id", "sequence", "hash", "updatedAt")
    VALUES (${HEAD_ID}, 0, ${GENESIS_HASH}, now()) ON CONFLICT ("id") DO NOTHING`;
  const retry = await tx.$queryRaw<ChainHeadRow[]>`
    SELECT "sequence", "hash" FROM "AuditChainHead" WHERE "id" = ${HEAD_ID} FOR UPDATE`;
  if (!retry[0]) throw new Error("AuditChainHead row is missing");
  return retry[0];
}

type PreparedEvent = ReturnType<typeof prepareEvent>;

/**
 * Checks, under the chain lock, that an outcome may be recorded for `pendingSequence`: the event
 * exists, is PENDING, and has no outcome yet — neither in the table nor earlier in this batch.
 */
async function checkResolvable(
  tx: TransactionClient,
  pendingSequence: bigint,
  resolvedInBatch: ReadonlySet<bigint>,
): Promise<AuditOutcomeConflictError | undefined> {
  if (resolvedInBatch.has(pendingSequence)) {
    return new AuditOutcomeConflictError(
      pendingSequence,
      "another outcome is being recorded at the same time",
    );
  }
  const pending = await tx.auditEvent.findUnique({
    where: { sequence: pendingSequence },
    select: { outcome: true },
  });
  if (!pending) return new AuditOutcomeConflictError(pendingSequence, "no such event");
  if (pending.outcome !== "PENDING") {
    return new AuditOutcomeConflictError(pendingSequence, "it is not a pending event");
  }
  const existing = await tx.auditEvent.findFirst({
    where: { relatedSequence: pendingSequence },
    select: { sequence: true },
  });
  if (existing) {
    return new AuditOutcomeConflictError(
      pendingSequence,
      `it already has outcome event ${existing.sequence}`,
    );
  }
  return undefined;
}

type AppendJob = {
  fields: PreparedEvent;
  resolve: (event: AppendedAuditEvent) => void;
  reject: (error: unknown) => void;
};

/** Runs one statement on the client's driver when it has one (no Prisma per-query cost), else through Prisma. */
async function runStatement(db: PrismaClient, statement: Prisma.Sql): Promise<unknown[]> {
  const driver = driverOf(db);
  if (!driver) return db.$queryRaw<unknown[]>(statement);
  // Every placeholder has an explicit cast, so text is enough (and the same for both drivers).
  const values = statement.values.map((value) =>
    typeof value === "bigint" ? value.toString() : value instanceof Date ? value.toISOString() : value,
  );
  return driver.query<unknown>(statement.text, values);
}

type StoredRow = PreparedEvent & { sequence: bigint; time: Date; prevHash: string; hash: string };
type Settled = { job: AppendJob; result: AppendedAuditEvent | AuditOutcomeConflictError }[];

/** Hashes `jobs` onto `head` in order: the rows to insert and what each caller gets back. */
function chainRows(head: ChainHeadRow, jobs: readonly AppendJob[]): { rows: StoredRow[]; settled: Settled } {
  let sequence = head.sequence;
  let prevHash = head.hash;
  const rows: StoredRow[] = [];
  const settled: Settled = [];
  for (const job of jobs) {
    sequence += 1n;
    const time = new Date();
    const hashable: HashableAuditEvent = { ...job.fields, sequence, time, prevHash };
    const hash = hashAuditEvent(hashable);
    rows.push({ ...job.fields, sequence, time, prevHash, hash });
    settled.push({ job, result: { sequence, hash, time } });
    prevHash = hash;
  }
  return { rows, settled };
}

/**
 * The chain head this process wrote last, per client. Only a hint: the fast path below writes
 * only if the head in the database still is exactly this one (compare-and-swap), so another
 * process (or a test resetting the table) just sends the next append down the locking path.
 */
const knownHeads = new WeakMap<PrismaClient, ChainHeadRow>();

/**
 * One round trip: a single statement advances the head from the known (sequence, hash) to the
 * batch's last event — only if the head is still that one and every outcome's pending event is
 * PENDING and unresolved — and inserts the rows only if the head moved. The head row's lock
 * serializes it against every other append (UPDATE re-checks the compare on the newest row).
 * Returns false when nothing was written (head moved, or an outcome precondition failed).
 */
async function tryWriteFast(
  db: PrismaClient,
  head: ChainHeadRow,
  jobs: readonly AppendJob[],
): Promise<Settled | undefined> {
  const related = jobs
    .map((job) => job.fields.relatedSequence)
    .filter((value): value is bigint => value !== null);
  if (new Set(related).size !== related.length) return undefined; // two outcomes for one pending: the slow path says which
  const { rows, settled } = chainRows(head, jobs);
  const last = rows.at(-1);
  if (!last) return settled;
  const outcomeChecks =
    related.length === 0
      ? Prisma.empty
      : Prisma.sql`
        AND (SELECT count(*) FROM "AuditEvent" WHERE "sequence" IN (${Prisma.join(related)}) AND "outcome" = 'PENDING') = ${related.length}
        AND NOT EXISTS (SELECT 1 FROM "AuditEvent" WHERE "relatedSequence" IN (${Prisma.join(related)}))`;
  const values = rows.map(
    (
      row,
    ) => Prisma.sql`(${row.sequence}::bigint, ${row.time}::timestamptz, ${row.actorOperatorId}::text, ${row.actorEmail}::text,
      ${row.actorRole}::text::"OperatorRole", ${row.action}::text, ${row.outcome}::text::"AuditOutcome", ${row.relatedSequence}::bigint,
      ${row.targetUserId}::text, ${row.targetEmail}::text, ${row.targetConnection}::text, ${row.reason}::text, ${row.requestId}::text,
      ${row.ip}::text, ${row.userAgent}::text, ${JSON.stringify(row.details)}::jsonb, ${row.prevHash}::text, ${row.hash}::text)`,
  );
  const statement = Prisma.sql`
    WITH "head" AS (
      UPDATE "AuditChainHead" SET "sequence" = ${last.sequence}::bigint, "hash" = ${last.hash}::text, "updatedAt" = ${last.time}::timestamptz
      WHERE "id" = ${HEAD_ID} AND "sequence" = ${head.sequence}::bigint AND "hash" = ${head.hash}::text ${outcomeChecks}
      RETURNING "id"
    )
    INSERT INTO "AuditEvent" ("sequence", "time", "actorOperatorId", "actorEmail", "actorRole", "action", "outcome",
      "relatedSequence", "targetUserId", "targetEmail", "targetConnection", "reason", "requestId", "ip", "userAgent",
      "details", "prevHash", "hash")
    SELECT "v".* FROM (VALUES ${Prisma.join(values)}) AS "v" CROSS JOIN "head"
    RETURNING "sequence"`;
  const inserted = await runStatement(db, statement);
  if (inserted.length === 0) return undefined;
  if (inserted.length !== rows.length)
    throw new Error(`Audit append wrote ${inserted.length} of ${rows.length} events`);
  knownHeads.set(db, { sequence: last.sequence, hash: last.hash });
  return settled;
}

/**
 * Writes `jobs` as consecutive events in ONE transaction: lock the head, hash each event onto
 * the previous one, insert them all, advance the head. Jobs whose outcome precondition fails are
 * rejected individually and left out; the others commit together.
 */
async function writeBatchLocked(db: PrismaClient, jobs: readonly AppendJob[]): Promise<Settled> {
  const { settled, head } = await db.$transaction(async (tx) => {
    const head = await lockChainHead(tx);
    const accepted: AppendJob[] = [];
    const refused: Settled = [];
    const resolvedInBatch = new Set<bigint>();
    for (const job of jobs) {
      const related = job.fields.relatedSequence;
      if (related !== null) {
        const conflict = await checkResolvable(tx, related, resolvedInBatch);
        if (conflict) {
          refused.push({ job, result: conflict });
          continue;
        }
        resolvedInBatch.add(related);
      }
      accepted.push(job);
    }
    const { rows, settled } = chainRows(head, accepted);
    const last = rows.at(-1);
    if (last) {
      await tx.auditEvent.createMany({ data: rows });
      await tx.auditChainHead.update({
        where: { id: HEAD_ID },
        data: { sequence: last.sequence, hash: last.hash, updatedAt: last.time },
        select: { id: true },
      });
    }
    return {
      settled: [...settled, ...refused],
      head: last ? { sequence: last.sequence, hash: last.hash } : head,
    };
  });
  knownHeads.set(db, head);
  return settled;
}

async function writeBatch(db: PrismaClient, jobs: readonly AppendJob[]): Promise<void> {
  const known = knownHeads.get(db);
  let settled: Settled | undefined;
  if (known) {
    try {
      settled = await tryWriteFast(db, known, jobs);
    } catch (error) {
      knownHeads.delete(db);
      throw error;
    }
  }
  if (!settled) {
    knownHeads.delete(db);
    settled = await writeBatchLocked(db, jobs);
  }
  // Only after COMMIT: a caller learns its event exists only once it really does.
  for (const { job, result } of settled) {
    if (result instanceof AuditOutcomeConflictError) job.reject(result);
    else job.resolve(result);
  }
}

/** Most events one transaction writes; bounds lock time and statement size. */
const MAX_BATCH = 200;

type AppendQueue = { jobs: AppendJob[]; isDraining: boolean };
const queues = new WeakMap<PrismaClient, AppendQueue>();

/**
 * Group commit: appends that arrive while a transaction is running are written together by the
 * next one. Each append still needs its own round of the chain lock without batching, and that
 * lock (not the hashing) caps throughput; batching lifts it for concurrent callers. Across
 * processes the head row lock still serializes everything.
 */
async function drain(db: PrismaClient, queue: AppendQueue): Promise<void> {
  queue.isDraining = true;
  try {
    while (queue.jobs.length > 0) {
      const batch = queue.jobs.splice(0, MAX_BATCH);
      try {
        await writeBatch(db, batch);
      } catch (error) {
        if (batch.length === 1) {
          batch[0]?.reject(error);
          continue;
        }
        // One bad event must not fail its neighbours: retry each alone, so only it fails.
        for (const job of batch) {
          await writeBatch(db, [job]).catch((single: unknown) => job.reject(single));
        }
      }
    }
  } finally {
    queue.isDraining = false;
  }
}

/**
 * Appends one event to the hash chain: lock the chain head, sequence = head + 1, hash over the
 * canonical event including the previous hash, insert, advance the head — atomically, and
 * possibly together with other appends running at the same moment (group commit).
 * Resolves only after the event is committed; throws if it is not — fail-closed callers rely on it.
 */
export async function appendAuditEvent(
  db: PrismaClient,
  input: AuditEventInput,
  options: AppendOptions = {},
): Promise<AppendedAuditEvent> {
  const fields = prepareEvent(input, options);
  let queue = queues.get(db);
  if (!queue) {
    queue = { jobs: [], isDraining: false };
    queues.set(db, queue);
  }
  const appended = new Promise<AppendedAuditEvent>((resolve, reject) => {
    queue.jobs.push({ fields, resolve, reject });
  });
  if (!queue.isDraining) void drain(db, queue);
  return appended;
}

export type AuditedOperationInput = {
  actor: AuditActor;
  action: AuditAction;
  target?: AuditTarget | null;
  reason?: string | null;
  request?: AuditRequestContext | null;
  /** Details known before the call (ttlSec, connection, idempotencyKey…). */
  details?: AuditDetailsInput | null;
  /** Values (the new password!) that must not appear anywhere in the pending or outcome events. */
  mustNotContain?: readonly string[];
};

export type AuditedOperation = {
  /** Sequence of the PENDING event. */
  readonly sequence: bigint;
  /** Appends the linked SUCCEEDED event. */
  succeed(details?: AuditDetailsInput | null): Promise<AppendedAuditEvent>;
  /** Appends the linked FAILED event (Auth0's status, error code and message go in details). */
  fail(details?: AuditDetailsInput | null): Promise<AppendedAuditEvent>;
  /**
   * Appends the linked UNKNOWN event: the request left Passdesk but no usable answer came back
   * (timeout, broken connection, unreadable answer), and nothing at Auth0 can tell later.
   */
  unknown(details?: AuditDetailsInput | null): Promise<AppendedAuditEvent>;
};

/**
 * Writes the PENDING event of an operation that is about to call Auth0 and returns a handle to
 * record its outcome. Fail-closed: if the pending event cannot be written this throws, and the
 * caller must not call Auth0. If the outcome cannot be written afterwards (database gone), the
 * pending event stays unresolved, is shown as "outcome unknown" and is reconciled later.
 */
export async function beginAuditedOperation(
  db: PrismaClient,
  input: AuditedOperationInput,
): Promise<AuditedOperation> {
  const mustNotContain = input.mustNotContain ?? [];
  const pending = await appendAuditEvent(
    db,
    {
      action: input.action,
      outcome: "PENDING",
      actor: input.actor,
      target: input.target,
      reason: input.reason,
      request: input.request,
      details: input.details,
    },
    { detailsMode: "throw", mustNotContain },
  );

  let settled = false;
  const settle = async (outcome: "SUCCEEDED" | "FAILED" | "UNKNOWN", details?: AuditDetailsInput | null) => {
    if (settled) throw new AuditOutcomeConflictError(pending.sequence, "its outcome was already recorded");
    settled = true;
    // Outcome events repeat who/whom (so actor and target filters find them) but not the reason.
    return appendAuditEvent(
      db,
      {
        action: input.action,
        outcome,
        actor: input.actor,
        target: input.target,
        request: input.request,
        details,
        relatedSequence: pending.sequence,
      },
      // Whatever Auth0 answered must be recorded: redact a suspicious detail instead of refusing.
      { detailsMode: "redact", mustNotContain },
    ).catch((error: unknown) => {
      settled = false; // nothing was written; the caller may retry
      throw error;
    });
  };

  return {
    sequence: pending.sequence,
    succeed: (details) => settle("SUCCEEDED", details),
    fail: (details) => settle("FAILED", details),
    unknown: (details) => settle("UNKNOWN", details),
  };
}
