import "server-only";
import { Prisma } from "../generated/prisma/client";
import type { PrismaClient } from "../generated/prisma/client";
import type { AuditOutcome } from "../generated/prisma/enums";
import { PASSWORD_ACTIONS } from "./actions";
import type { AuditDetails } from "./details";
import { AUDIT_EVENT_SELECT } from "./select";

/** Filters of the audit page, the export and the per-user history. All optional, ANDed. */
export type AuditEventFilters = {
  /** Operator id or email (either matches). */
  actor?: string | null;
  /** Hard restriction to one operator's own events (support operators); not a user choice. */
  onlyActorOperatorId?: string | null;
  /** Auth0 user id or email (either matches; ids like `samlp|…|a@b.c` can contain an @). */
  target?: string | null;
  /** Exact Auth0 user id only (per-user history). */
  targetUserId?: string | null;
  /**
   * Events without a target user (operator sign-ins, operator admin, bulk jobs): "none" drops
   * them, `{ actorOperatorId }` keeps only that operator's own (a scoped reader's); unset keeps all.
   * Events with a target user are then decided by the reader's scope (lib/audit-view/visible.ts).
   */
  untargeted?: "none" | { actorOperatorId: string } | null;
  action?: string | readonly string[] | null;
  /**
   * In the "events" view: the event's own outcome. In the "operations" view: the operation's
   * final outcome (a pending event without an outcome counts as UNKNOWN and as PENDING).
   */
  outcome?: AuditOutcome | null;
  /** Inclusive lower bound on the event time. */
  from?: Date | null;
  /** Exclusive upper bound on the event time. */
  to?: Date | null;
  /**
   * "events" (default): every row, as stored. "operations": one row per operation — pending and
   * single-shot events, each paired with its outcome; outcome events are folded into them.
   */
  view?: "events" | "operations";
};

export type AuditResolution = {
  sequence: string;
  outcome: AuditOutcome;
  time: Date;
  details: AuditDetails;
};

type StoredRow = Prisma.AuditEventGetPayload<{ select: typeof AUDIT_EVENT_SELECT }>;

/**
 * One audit event as pages, exports and the API see it: every stored field (AUDIT_EVENT_SELECT),
 * bigints as decimal strings, details typed.
 */
export type AuditEventRecord = Omit<StoredRow, "sequence" | "relatedSequence" | "details"> & {
  sequence: string;
  relatedSequence: string | null;
  details: AuditDetails;
  /** For a PENDING event: its outcome event, or null when none was recorded (yet). */
  resolution: AuditResolution | null;
  /**
   * What to show as the outcome: the event's own outcome, or for a PENDING event its
   * resolution's outcome, or UNKNOWN when it has none.
   */
  effectiveOutcome: AuditOutcome;
};

export type AuditEventPage = {
  events: AuditEventRecord[];
  /** Pass back to get the next (older) page; null on the last page. */
  nextCursor: string | null;
};

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export class InvalidAuditCursorError extends Error {
  constructor() {
    super("Invalid audit cursor");
    this.name = "InvalidAuditCursorError";
  }
}

/** Cursors are the sequence of the last row shown; keyset paging stays fast at any depth. */
export function parseAuditCursor(cursor: string | null | undefined): bigint | undefined {
  if (cursor === null || cursor === undefined || cursor === "") return undefined;
  if (!/^[1-9]\d{0,18}$/.test(cursor)) throw new InvalidAuditCursorError();
  return BigInt(cursor);
}

function buildWhere(filters: AuditEventFilters, cursor: bigint | undefined): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (cursor !== undefined) conditions.push(Prisma.sql`e."sequence" < ${cursor}`);
  if (filters.onlyActorOperatorId)
    conditions.push(Prisma.sql`e."actorOperatorId" = ${filters.onlyActorOperatorId}`);
  const actor = filters.actor?.trim();
  if (actor) {
    conditions.push(Prisma.sql`(e."actorOperatorId" = ${actor} OR e."actorEmail" = ${actor.toLowerCase()})`);
  }
  const target = filters.target?.trim();
  if (target) {
    conditions.push(Prisma.sql`(e."targetUserId" = ${target} OR e."targetEmail" = ${target.toLowerCase()})`);
  }
  if (filters.targetUserId) conditions.push(Prisma.sql`e."targetUserId" = ${filters.targetUserId}`);
  if (filters.untargeted === "none") conditions.push(Prisma.sql`e."targetUserId" IS NOT NULL`);
  else if (filters.untargeted) {
    conditions.push(
      Prisma.sql`(e."targetUserId" IS NOT NULL OR e."actorOperatorId" = ${filters.untargeted.actorOperatorId})`,
    );
  }
  const actions = typeof filters.action === "string" ? [filters.action] : (filters.action ?? []);
  if (actions.length > 0) conditions.push(Prisma.sql`e."action" IN (${Prisma.join([...actions])})`);
  if (filters.from) conditions.push(Prisma.sql`e."time" >= ${filters.from}`);
  if (filters.to) conditions.push(Prisma.sql`e."time" < ${filters.to}`);

  const outcome = filters.outcome;
  if (filters.view === "operations") {
    conditions.push(Prisma.sql`e."relatedSequence" IS NULL`);
    if (outcome) {
      const resolvedAs = Prisma.sql`EXISTS (SELECT 1 FROM "AuditEvent" o WHERE o."relatedSequence" = e."sequence" AND o."outcome"::text = ${outcome})`;
      const unresolved = Prisma.sql`(e."outcome"::text = 'PENDING' AND NOT EXISTS (SELECT 1 FROM "AuditEvent" o WHERE o."relatedSequence" = e."sequence"))`;
      if (outcome === "PENDING") conditions.push(unresolved);
      else if (outcome === "UNKNOWN") {
        conditions.push(
          Prisma.sql`(e."outcome"::text = 'UNKNOWN' OR ${unresolved} OR (e."outcome"::text = 'PENDING' AND ${resolvedAs}))`,
        );
      } else {
        conditions.push(
          Prisma.sql`(e."outcome"::text = ${outcome} OR (e."outcome"::text = 'PENDING' AND ${resolvedAs}))`,
        );
      }
    }
  } else if (outcome) {
    conditions.push(Prisma.sql`e."outcome"::text = ${outcome}`);
  }
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

function toRecord(row: StoredRow, resolution: AuditResolution | null | undefined): AuditEventRecord {
  const isPending = row.outcome === "PENDING";
  return {
    ...row,
    sequence: row.sequence.toString(),
    relatedSequence: row.relatedSequence?.toString() ?? null,
    details: (row.details ?? {}) as AuditDetails,
    resolution: isPending ? (resolution ?? null) : null,
    effectiveOutcome: isPending ? (resolution?.outcome ?? "UNKNOWN") : row.outcome,
  };
}

type PageRow = StoredRow & {
  resolutionSequence: bigint | null;
  resolutionOutcome: AuditOutcome | null;
  resolutionTime: Date | null;
  resolutionDetails: unknown;
};

/** Every stored column of `e`, quoted (the one field list: AUDIT_EVENT_SELECT). */
const EVENT_COLUMNS = Prisma.raw(
  Object.keys(AUDIT_EVENT_SELECT)
    .map((field) => `e."${field}"`)
    .join(", "),
);

function toPageRecord(row: PageRow): AuditEventRecord {
  const { resolutionSequence, resolutionOutcome, resolutionTime, resolutionDetails, ...stored } = row;
  const resolution: AuditResolution | null =
    resolutionSequence !== null && resolutionOutcome !== null && resolutionTime !== null
      ? {
          sequence: resolutionSequence.toString(),
          outcome: resolutionOutcome,
          time: resolutionTime,
          details: (resolutionDetails ?? {}) as AuditDetails,
        }
      : null;
  return toRecord(stored, resolution);
}

/**
 * One page of audit events, newest first. Keyset pagination on sequence: pass the returned
 * `nextCursor` to get older events.
 *
 * @throws InvalidAuditCursorError for a malformed cursor.
 */
export async function listAuditEvents(
  db: PrismaClient,
  filters: AuditEventFilters = {},
  cursor?: string | null,
  limit: number = DEFAULT_PAGE_SIZE,
): Promise<AuditEventPage> {
  const pageSize = Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
  const where = buildWhere(filters, parseAuditCursor(cursor));
  // One round trip: the page's rows, each pending one with its first outcome (if any).
  const rows = await db.$queryRaw<PageRow[]>`
    SELECT ${EVENT_COLUMNS},
      r."sequence" AS "resolutionSequence", r."outcome" AS "resolutionOutcome",
      r."time" AS "resolutionTime", r."details" AS "resolutionDetails"
    FROM "AuditEvent" e
    LEFT JOIN LATERAL (
      SELECT o."sequence", o."outcome", o."time", o."details" FROM "AuditEvent" o
      WHERE e."outcome" = 'PENDING' AND o."relatedSequence" = e."sequence"
      ORDER BY o."sequence" ASC LIMIT 1
    ) r ON TRUE
    ${where}
    ORDER BY e."sequence" DESC LIMIT ${pageSize + 1}`;
  const hasMore = rows.length > pageSize;
  const events = rows.slice(0, pageSize).map(toPageRecord);
  const last = events.at(-1);
  return { events, nextCursor: hasMore && last ? last.sequence : null };
}

/**
 * Password operations on one Auth0 user, newest first, each with its outcome (who, when, why).
 * `onlyActorOperatorId` restricts it to one operator's own operations (support's audit scope).
 */
export async function listUserPasswordEvents(
  db: PrismaClient,
  auth0UserId: string,
  options: { cursor?: string | null; limit?: number; onlyActorOperatorId?: string | null } = {},
): Promise<AuditEventPage> {
  return listAuditEvents(
    db,
    {
      targetUserId: auth0UserId,
      action: PASSWORD_ACTIONS,
      view: "operations",
      onlyActorOperatorId: options.onlyActorOperatorId ?? null,
    },
    options.cursor,
    options.limit ?? DEFAULT_PAGE_SIZE,
  );
}

/**
 * Every event matching the filters, newest first, one page at a time — for streaming exports
 * (and scoped reads, which decide a whole batch at Auth0 at once) without holding the result set
 * in memory. `cursor` starts below that sequence.
 */
export async function* auditEventBatches(
  db: PrismaClient,
  filters: AuditEventFilters = {},
  options: { batchSize?: number; cursor?: string | null } = {},
): AsyncGenerator<AuditEventPage, void, undefined> {
  let cursor: string | null = options.cursor ?? null;
  do {
    const page: AuditEventPage = await listAuditEvents(db, filters, cursor, options.batchSize ?? MAX_PAGE_SIZE);
    yield page;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/**
 * Every event matching the filters, newest first, in batches — for streaming CSV/NDJSON
 * exports without holding the result set in memory.
 */
export async function* exportAuditEvents(
  db: PrismaClient,
  filters: AuditEventFilters = {},
  options: { batchSize?: number } = {},
): AsyncGenerator<AuditEventRecord, void, undefined> {
  for await (const page of auditEventBatches(db, filters, options)) yield* page.events;
}
