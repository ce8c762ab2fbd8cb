import { describe, expect, it } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { createBulkJob, decideBulkJob, getBulkJobProgress } from "@/lib/bulk/jobs";
import { countPreview } from "@/lib/bulk/operations";
import { previewBulkSource } from "@/lib/bulk/preview";
import { createBulkRunner } from "@/lib/bulk/runner";
import { DATABASE_CONNECTION, emailsAt, setUpHarness } from "../passwords/harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * Sign out everywhere as a bulk job, against the real local tenant: social users are matched
 * (not skipped as for the password operations), each user's refresh token stops working at the
 * tenant, and every item's audit events carry the job id.
 */
const h = setUpHarness();
const uniqueEmail = emailsAt("bulk-signout.passdesk.test");
const PASSWORD = "Bulk-SignOut-Start-1!";
const REASON = "INC-2077 token theft, sign everyone out";
const SOCIAL_USER = "google.demo@gmail.example";

async function admin(name: string): Promise<OperatorIdentity> {
  return h.database.prisma.operator.create({
    data: { email: `${name}-${Date.now()}@passdesk.test`, name, role: "ADMIN", passwordHash: "not-used" },
    select: identitySelect,
  }).then(toOperatorIdentity);
}

function csv(values: readonly string[]) {
  return {
    kind: "csv" as const,
    fileName: "signout.csv",
    contentBase64: Buffer.from(`email\n${values.join("\n")}\n`, "utf8").toString("base64"),
  };
}

async function token(body: Record<string, string>): Promise<{ status: number; refreshToken?: string }> {
  const response = await h.fetch(`${h.tenant.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: "passdesk-demo-reset-app", ...body }),
  });
  const json = (await response.json()) as { refresh_token?: string };
  return { status: response.status, refreshToken: json.refresh_token };
}

async function refreshTokenOf(email: string): Promise<string> {
  const login = await token({
    grant_type: "http://auth0.com/oauth/grant-type/password-realm",
    username: email,
    password: PASSWORD,
    realm: DATABASE_CONNECTION,
    scope: "openid offline_access",
  });
  expect(login.status).toBe(200);
  return login.refreshToken as string;
}

const refreshStatus = async (refreshToken: string) =>
  (await token({ grant_type: "refresh_token", refresh_token: refreshToken })).status;

describe("bulk sign out everywhere", () => {
  it("signs every listed user out: their refresh grants fail at the tenant, audit rows name the job", async () => {
    const [requester, approver] = [await admin("reqSO"), await admin("appSO")];
    const emails: string[] = [];
    for (let i = 0; i < 3; i++) {
      const email = uniqueEmail("signout");
      await h.createUser(email, PASSWORD);
      emails.push(email);
    }
    const tokens = await Promise.all(emails.map(refreshTokenOf));
    expect(await Promise.all(tokens.map(refreshStatus))).toEqual([200, 200, 200]);

    const source = csv([...emails, "ghost@bulk-signout.passdesk.test", SOCIAL_USER]);
    // The same users for a password operation: the social user is skipped there, not here.
    const passwordPreview = await previewBulkSource(h.api, source, "password.reset_email");
    expect(passwordPreview.ok && countPreview(passwordPreview.rows)).toEqual({
      matched: 3,
      unknown: 1,
      ambiguous: 0,
      duplicate: 0,
      not_database: 1,
    });
    const preview = await previewBulkSource(h.api, source, "sessions.revoke");
    if (!preview.ok) throw new Error(JSON.stringify(preview.problem));
    expect(countPreview(preview.rows)).toEqual({ matched: 4, unknown: 1, ambiguous: 0, duplicate: 0, not_database: 0 });

    const created = await createBulkJob(
      h.database.prisma,
      { operation: "sessions.revoke", reason: REASON, source: "csv", sourceLabel: preview.sourceLabel, rows: preview.rows, approvalTtlSec: 3600 },
      { operator: requester, meta: h.meta },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const jobId = created.data.jobId;
    expect(
      await decideBulkJob(h.database.prisma, { jobId, decision: "approve", reason: "Checked the list" }, { operator: approver, meta: h.meta }),
    ).toEqual({ ok: true, data: { status: "QUEUED" } });

    const runner = createBulkRunner({ deps: h.deps, runnerId: "signout-runner", leaseMs: 60_000, maxRps: 1_000, idleMs: 50 });
    runner.start();
    try {
      await expect
        .poll(async () => (await h.database.prisma.bulkJob.findUnique({ where: { id: jobId } }))?.status, {
          timeout: 60_000,
          interval: 100,
        })
        .toBe("FINISHED");
    } finally {
      await runner.stop();
    }

    expect(await Promise.all(tokens.map(refreshStatus))).toEqual([403, 403, 403]);
    expect((await getBulkJobProgress(h.database.prisma, jobId))?.counts).toEqual({
      done: 4,
      failed: 0,
      skipped: 1,
      cancelled: 0,
      remaining: 0,
    });
    // Each item: a pending event naming the job, and its outcome pointing back to it.
    const pending = await h.database.prisma.auditEvent.findMany({
      where: { action: "sessions.revoke", outcome: "PENDING", details: { path: ["bulkJobId"], equals: jobId } },
      select: { sequence: true, targetEmail: true, actorOperatorId: true, reason: true, details: true },
    });
    expect(pending).toHaveLength(4);
    expect(new Set(pending.map((event) => event.targetEmail))).toEqual(
      new Set([...emails.map((email) => email.toLowerCase()), SOCIAL_USER]),
    );
    expect(pending.every((event) => event.actorOperatorId === requester.id && event.reason === REASON)).toBe(true);
    expect(pending.every((event) => (event.details as { bulkOperation?: string }).bulkOperation === "sessions.revoke")).toBe(true);
    const outcomes = await h.database.prisma.auditEvent.findMany({
      where: { relatedSequence: { in: pending.map((event) => event.sequence) } },
      select: { action: true, outcome: true },
    });
    expect(outcomes).toEqual([
      { action: "sessions.revoke", outcome: "SUCCEEDED" },
      { action: "sessions.revoke", outcome: "SUCCEEDED" },
      { action: "sessions.revoke", outcome: "SUCCEEDED" },
      { action: "sessions.revoke", outcome: "SUCCEEDED" },
    ]);
  });
});
