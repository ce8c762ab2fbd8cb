-- Idempotency keys are bound to a hash of the request's non-secret inputs: a key reused for
-- another user, reason or option is a conflict instead of a replay of the first result.
-- Keys live for minutes; those written before this migration have no hash and are dropped.
DELETE FROM "IdempotencyKey";

-- AlterTable
ALTER TABLE "IdempotencyKey" ADD COLUMN "inputHash" TEXT NOT NULL;
