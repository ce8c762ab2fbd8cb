import type { PrismaClient } from "../generated/prisma/client";
import type { CanonicalInput } from "./canonical";
import { GENESIS_HASH, hashAuditEvent } from "./hash";
import type { HashableAuditEvent } from "./hash";
import { AUDIT_EVENT_SELECT } from "./select";

/**
 * Walks the audit chain in sequence order (keyset pagination, constant memory) and recomputes
 * every hash. Used by `npm run audit:verify` and the audit page's banner.
 *
 * Not server-only: the CLI imports it.
 */

export type AuditTamperKind = "edited" | "deleted" | "inserted" | "reordered";

export type AuditChainVerification =
  | { ok: true; count: number; headSequence: bigint; headHash: string }
  | {
      ok: false;
      /** Events verified as intact before the first bad one. */
      count: number;
      /** The first event that is wrong (or, for a deletion, the first missing sequence). */
      firstBadSequence: bigint;
      reason: AuditTamperKind;
      /** One sentence for people: what was found where. */
      message: string;
    };

type VerifiedRow = HashableAuditEvent & { hash: string };


/** How far a moved row is looked for when classifying a broken hash as a reorder. */
const MOVE_WINDOW = 32n;

function toVerifiedRow(row: Omit<VerifiedRow, "details"> & { details: unknown }): VerifiedRow {
  return { ...row, details: row.details as CanonicalInput };
}

function selfHashValid(row: VerifiedRow): boolean {
  return hashAuditEvent(row) === row.hash;
}

/** The sequence this row's content was hashed with, if it is not where it sits now. */
function originalSequence(row: VerifiedRow): bigint | undefined {
  for (let offset = 1n; offset <= MOVE_WINDOW; offset += 1n) {
    for (const candidate of [row.sequence - offset, row.sequence + offset]) {
      if (candidate > 0n && hashAuditEvent({ ...row, sequence: candidate }) === row.hash) return candidate;
    }
  }
  return undefined;
}

function failure(
  count: number,
  firstBadSequence: bigint,
  reason: AuditTamperKind,
  detail: string,
): AuditChainVerification {
  return {
    ok: false,
    count,
    firstBadSequence,
    reason,
    message: `Audit chain broken at event ${firstBadSequence}: ${detail}`,
  };
}

async function loadRow(db: PrismaClient, sequence: bigint): Promise<VerifiedRow | undefined> {
  const row = await db.auditEvent.findUnique({ where: { sequence }, select: AUDIT_EVENT_SELECT });
  return row ? toVerifiedRow(row) : undefined;
}

type Previous = { sequence: bigint; hash: string; prevHash: string } | undefined;

/** Decides what happened at the first row that does not follow from the verified prefix. */
async function classify(
  db: PrismaClient,
  count: number,
  previous: Previous,
  row: VerifiedRow,
): Promise<AuditChainVerification> {
  const expectedSequence = (previous?.sequence ?? 0n) + 1n;
  const expectedPrevHash = previous?.hash ?? GENESIS_HASH;

  if (row.sequence !== expectedSequence) {
    return failure(
      count,
      expectedSequence,
      "deleted",
      `event ${expectedSequence} is missing (next is ${row.sequence})`,
    );
  }
  if (!selfHashValid(row)) {
    const original = originalSequence(row);
    if (original !== undefined) {
      // An intact row sitting one place later whose predecessor link skips the row before it:
      // that row before it was slipped in and everything after renumbered.
      if (previous && original === row.sequence - 1n && row.prevHash === previous.prevHash) {
        return failure(
          count - 1,
          previous.sequence,
          "inserted",
          `event ${previous.sequence} was inserted into the chain`,
        );
      }
      if (original === row.sequence + 1n) {
        // Either swapped with its neighbour, or the event here was deleted and later ones renumbered.
        const next = await loadRow(db, row.sequence + 1n);
        if (!next || originalSequence(next) !== row.sequence) {
          return failure(
            count,
            row.sequence,
            "deleted",
            "the original event was deleted and later events renumbered",
          );
        }
      }
      return failure(count, row.sequence, "reordered", `it holds the content of event ${original}`);
    }
    // A row with a bad hash followed by a row that was renumbered past it: it was inserted.
    const next = await loadRow(db, row.sequence + 1n);
    if (next && next.prevHash === expectedPrevHash && originalSequence(next) === row.sequence) {
      return failure(count, row.sequence, "inserted", "it was inserted into the chain");
    }
    return failure(count, row.sequence, "edited", "its content does not match its hash");
  }
  if (row.prevHash !== expectedPrevHash) {
    if (previous && row.prevHash === previous.prevHash) {
      return failure(
        count - 1,
        previous.sequence,
        "inserted",
        `event ${previous.sequence} was inserted into the chain`,
      );
    }
    // This row is intact, so the one before it was edited and re-hashed to hide it.
    const culprit = previous?.sequence ?? row.sequence;
    return failure(Math.max(count - 1, 0), culprit, "edited", "it was changed and its hash recomputed");
  }
  return { ok: true, count, headSequence: row.sequence, headHash: row.hash };
}

/**
 * Verifies the chain from the first event, or — with `since`, a head this process verified
 * before — only the events appended after it (cheap enough for every page view; a full walk
 * should still run periodically, since `since` trusts everything up to it). `count` is the number
 * of events checked by this call; `headSequence` is the chain's length when intact.
 */
export async function verifyAuditChain(
  db: PrismaClient,
  options: { batchSize?: number; since?: { sequence: bigint; hash: string } } = {},
): Promise<AuditChainVerification> {
  const batchSize = options.batchSize ?? 1_000;

  // One statement, one snapshot: the head and the table's last sequence are consistent even while
  // other instances append (an append inserts and advances the head in one transaction).
  const [snapshot] = await db.$queryRaw<
    { head: bigint | null; headHash: string | null; last: bigint | null }[]
  >`
    SELECT (SELECT "sequence" FROM "AuditChainHead" WHERE "id" = 1) AS "head",
           (SELECT "hash" FROM "AuditChainHead" WHERE "id" = 1) AS "headHash",
           (SELECT max("sequence") FROM "AuditEvent") AS "last"`;
  const headSequence = snapshot?.head ?? 0n;
  const headHash = snapshot?.headHash ?? GENESIS_HASH;
  const lastSequence = snapshot?.last ?? 0n;

  let count = 0;
  let previous: Previous;
  let cursor = 0n;
  const since = options.since;
  if (since && since.sequence > 0n) {
    const checkpoint = await db.auditEvent.findUnique({
      where: { sequence: since.sequence },
      select: { hash: true, prevHash: true },
    });
    if (!checkpoint) {
      return failure(0, since.sequence, "deleted", "the previously verified event is missing");
    }
    if (checkpoint.hash !== since.hash) {
      return failure(0, since.sequence, "edited", "it changed since it was last verified");
    }
    previous = { sequence: since.sequence, hash: checkpoint.hash, prevHash: checkpoint.prevHash };
    cursor = since.sequence;
  }
  for (;;) {
    // Only rows up to the snapshot's head: later rows are appends that happened after it.
    const batch = await db.auditEvent.findMany({
      where: { sequence: { gt: cursor, lte: headSequence } },
      orderBy: { sequence: "asc" },
      take: batchSize,
      select: AUDIT_EVENT_SELECT,
    });
    for (const raw of batch) {
      const row = toVerifiedRow(raw);
      const verdict = await classify(db, count, previous, row);
      if (!verdict.ok) return verdict;
      count += 1;
      previous = { sequence: row.sequence, hash: row.hash, prevHash: row.prevHash };
    }
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) break;
    cursor = last.sequence;
  }

  const verifiedTo = previous?.sequence ?? 0n;
  if (verifiedTo < headSequence) {
    return failure(
      count,
      verifiedTo + 1n,
      "deleted",
      `events ${verifiedTo + 1n}–${headSequence} are missing`,
    );
  }
  if (lastSequence > headSequence) {
    return failure(count, headSequence + 1n, "inserted", "it was added behind the chain head's back");
  }
  if ((previous?.hash ?? GENESIS_HASH) !== headHash) {
    return failure(
      Math.max(count - 1, 0),
      verifiedTo,
      "edited",
      "it does not match the chain head (changed and re-hashed)",
    );
  }
  return { ok: true, count, headSequence, headHash };
}
