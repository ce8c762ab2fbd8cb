import { describe, expect, it } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { createBulkJob, decideBulkJob } from "@/lib/bulk/jobs";
import { createTestDatabase } from "@/lib/db/test-database";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * Four-eyes decisions on a bulk job when two admins decide at the same moment: one wins, and
 * only the winner's decision is in the audit log (the event is written after the decision is
 * claimed, not before the conditional update).
 */

const meta = { requestId: "req-decide-race", ip: "198.51.100.8", userAgent: "vitest" };

describe("deciding a bulk job concurrently", () => {
  it("two approvals at once: exactly one succeeds and exactly one bulk.approved event is written", async () => {
    const database = await createTestDatabase();
    try {
      const db = database.prisma;
      const admin = (name: string): Promise<OperatorIdentity> =>
        db.operator
          .create({
            data: { email: `${name}@passdesk.test`, name, role: "ADMIN", passwordHash: "not-used" },
            select: identitySelect,
          })
          .then(toOperatorIdentity);
      const [requester, first, second] = await Promise.all([
        admin("requester"),
        admin("first"),
        admin("second"),
      ]);
      const created = await createBulkJob(
        db,
        {
          operation: "password.reset_email",
          reason: "INC-2042 credential stuffing wave",
          source: "csv",
          sourceLabel: "users.csv",
          rows: [
            {
              position: 2,
              input: "a@example.com",
              status: "matched",
              userId: "auth0|race-a",
              connection: "Username-Password-Authentication",
            },
          ],
          approvalTtlSec: 3600,
        },
        { operator: requester, meta },
      );
      if (!created.ok) throw new Error(JSON.stringify(created.error));
      const jobId = created.data.jobId;
      const results = await Promise.all(
        [first, second].map((operator) =>
          decideBulkJob(
            db,
            { jobId, decision: "approve", reason: `Approved by ${operator.name}` },
            { operator, meta },
          ),
        ),
      );
      expect(results.filter((result) => result.ok)).toEqual([{ ok: true, data: { status: "QUEUED" } }]);
      expect(results.filter((result) => !result.ok)).toEqual([
        { ok: false, error: { code: "wrong_state", status: expect.any(String) } },
      ]);
      const approvals = await db.auditEvent.findMany({
        where: { action: "bulk.approved", details: { path: ["bulkJobId"], equals: jobId } },
        select: { actorOperatorId: true, reason: true },
      });
      expect(approvals).toHaveLength(1);
      const job = await db.bulkJob.findUnique({
        where: { id: jobId },
        select: { status: true, decidedById: true, decisionReason: true },
      });
      // The recorded decider is the one whose event is in the log.
      expect(job).toEqual({
        status: "QUEUED",
        decidedById: approvals[0]?.actorOperatorId,
        decisionReason: approvals[0]?.reason,
      });
    } finally {
      await database.close();
    }
  });
});
