// First: stubs the framework edges before any app module loads (see the helper).
import { edges } from "../support/app-edges";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { createBulkRunner } from "@/lib/bulk/runner";
import type { Prisma } from "@/lib/generated/prisma/client";
import { resetOperatorRateLimits } from "@/lib/http/operator-rate-limit";
import { type Harness, insertOperator, startHarness } from "../passwords/harness";

/**
 * Bulk jobs and scoped operators (issue 16): a scoped requester's preview shows users outside the
 * scope as "unknown" (as if not found), the runner re-checks each item against the requester's
 * scope as it is when the item runs, and an approver whose scope does not cover every user of a
 * job cannot approve it. Real tenant (outbox), real database; only the framework edges are stubbed.
 */
vi.hoisted(() => {
  process.env.LOG_LEVEL = "silent";
});
edges.requestId = "req-scope-bulk";

const { createBulkJobAction, decideBulkJobAction, previewBulkJobAction } = await import("@/lib/actions/bulk");

const EU_FILTER = { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' };
const REASON = "INC-9017 scoped wave";
const run = Date.now().toString(36);

let h: Harness;
let euAdmin: OperatorIdentity;
let admin: OperatorIdentity;
let acmeAdmin: OperatorIdentity;

const csv = (lines: readonly string[]) => ({
  kind: "csv" as const,
  fileName: "users.csv",
  contentBase64: Buffer.from(`email\n${lines.join("\n")}\n`, "utf8").toString("base64"),
});

let counter = 0;
async function createUser(region: "eu" | "us", name = "Bulk Scope"): Promise<{ userId: string; email: string }> {
  counter += 1;
  const email = `bulk-${region}-${counter}-${run}@scope-bulk.passdesk.test`;
  const created = await h.api.run("test.create_user", (client) =>
    client.users.create({
      connection: "Username-Password-Authentication",
      email,
      password: "Start-Password-1!",
      email_verified: true,
      name,
      app_metadata: { region },
    }),
  );
  return { userId: (created as { user_id: string }).user_id, email };
}

async function outboxCounts(emails: readonly string[]): Promise<Record<string, number>> {
  const messages = (await (await h.fetch(`${h.tenant.url}/outbox.json`)).json()) as { to: string }[];
  return Object.fromEntries(emails.map((email) => [email, messages.filter((m) => m.to.toLowerCase() === email).length]));
}

function createOperator(email: string, scope: Prisma.InputJsonValue | null): Promise<OperatorIdentity> {
  return insertOperator(h.database.prisma, { email, role: "ADMIN", scope });
}

async function items(jobId: string) {
  return h.database.prisma.bulkJobItem.findMany({
    where: { jobId },
    orderBy: { position: "asc" },
    select: { position: true, userId: true, status: true, errorCode: true },
  });
}

beforeAll(async () => {
  h = await startHarness();
  edges.dangerZoneDeps = h.deps;
  edges.prisma = h.database.prisma;
  const organizations = (await h.api.run("test.orgs", (client) => client.organizations.list())) as unknown as {
    data: { id: string; name: string }[];
  };
  const acmeId = organizations.data.find((org) => org.name === "acme")?.id ?? "";
  euAdmin = await createOperator("eu-admin@scope-bulk.passdesk.test", EU_FILTER);
  admin = await createOperator("admin@scope-bulk.passdesk.test", null);
  acmeAdmin = await createOperator("acme-admin@scope-bulk.passdesk.test", { connections: [], organizations: [acmeId], filter: null });
});

afterAll(async () => {
  await h?.close();
});

beforeEach(() => {
  resetOperatorRateLimits();
});

describe("bulk jobs of a scoped requester", () => {
  it("preview a CSV: users outside the scope are unknown, exactly like an address nobody has", async () => {
    const eu = await createUser("eu");
    const us = await createUser("us");
    const nobody = `nobody-${run}@scope-bulk.passdesk.test`;
    edges.operator = euAdmin;
    const preview = await previewBulkJobAction({ source: csv([eu.email, us.email, nobody]), operation: "password.reset_email" });
    expect(preview).toEqual({
      ok: true,
      data: {
        counts: { matched: 1, unknown: 2, ambiguous: 0, duplicate: 0, not_database: 0 },
        total: 3,
        rows: [
          { position: 2, input: eu.email, status: "matched", userId: eu.userId, connection: "Username-Password-Authentication" },
          { position: 3, input: us.email, status: "unknown", userId: null, connection: null },
          { position: 4, input: nobody, status: "unknown", userId: null, connection: null },
        ],
      },
    });
    // Unscoped, the US user is matched.
    edges.operator = admin;
    const whole = await previewBulkJobAction({ source: csv([us.email]), operation: "password.reset_email" });
    expect(whole).toMatchObject({ ok: true, data: { counts: { matched: 1 }, rows: [{ status: "matched", userId: us.userId }] } });
  });

  it("preview a search: only users in the scope are listed", async () => {
    const name = `Scoped Search ${run}`;
    const eu = await createUser("eu", name);
    await createUser("us", name);
    edges.operator = euAdmin;
    const preview = await previewBulkJobAction({ source: { kind: "search", query: `name:"${name}"` }, operation: "sessions.revoke" });
    expect(preview).toEqual({
      ok: true,
      data: {
        counts: { matched: 1, unknown: 0, ambiguous: 0, duplicate: 0, not_database: 0 },
        total: 1,
        rows: [{ position: 1, input: eu.userId, status: "matched", userId: eu.userId, connection: "Username-Password-Authentication" }],
      },
    });
  });

  it("the runner re-checks every item against the requester's scope when it runs", async () => {
    const stays = await createUser("eu");
    const leaves = await createUser("eu");
    edges.operator = euAdmin;
    const created = await createBulkJobAction({ source: csv([stays.email, leaves.email]), operation: "password.reset_email", reason: REASON });
    expect(created).toMatchObject({ ok: true, data: { matched: 2 } });
    const jobId = (created as { data: { jobId: string } }).data.jobId;
    edges.operator = admin;
    expect(await decideBulkJobAction({ jobId, decision: "approve", reason: "Checked the list" })).toEqual({ ok: true, data: { status: "QUEUED" } });
    // After approval, one user moves to the US: the requester may no longer act on them.
    await h.api.run("test.move", (client) => client.users.update(leaves.userId, { app_metadata: { region: "us" } }));

    const runner = createBulkRunner({ deps: h.deps, runnerId: "scope-runner", leaseMs: 60_000, maxRps: 1_000, idleMs: 50 });
    while ((await runner.runNext()) === "processed");
    expect(await items(jobId)).toEqual([
      { position: 2, userId: stays.userId, status: "SUCCEEDED", errorCode: null },
      { position: 3, userId: leaves.userId, status: "FAILED", errorCode: "not_found" },
    ]);
    expect(await outboxCounts([stays.email, leaves.email])).toEqual({ [stays.email]: 1, [leaves.email]: 0 });
    const pending = await h.database.prisma.auditEvent.count({ where: { targetUserId: leaves.userId, outcome: "PENDING" } });
    expect(pending).toBe(0);
  });

  it("an approver whose scope does not cover every user cannot approve; rejecting stays possible", async () => {
    const member = await createUser("eu");
    const outsider = await createUser("eu");
    const acmeId = (acmeAdmin.scope?.organizations ?? [])[0] ?? "";
    await h.api.run("test.add_member", (client) => client.organizations.members.create(acmeId, { members: [member.userId] }));
    edges.operator = admin;
    const created = await createBulkJobAction({ source: csv([member.email, outsider.email]), operation: "password.reset_email", reason: REASON });
    const jobId = (created as { data: { jobId: string } }).data.jobId;

    edges.operator = acmeAdmin;
    expect(await decideBulkJobAction({ jobId, decision: "approve", reason: "Looks fine to me" })).toEqual({
      ok: false,
      code: "forbidden",
      error: "bulk.errors.approverOutOfScope",
    });
    expect((await h.database.prisma.bulkJob.findUnique({ where: { id: jobId } }))?.status).toBe("AWAITING_APPROVAL");
    expect(await h.database.prisma.auditEvent.count({ where: { action: "bulk.approved", details: { path: ["bulkJobId"], equals: jobId } } })).toBe(0);
    expect(await decideBulkJobAction({ jobId, decision: "reject", reason: "Not my customers" })).toEqual({ ok: true, data: { status: "REJECTED" } });

    // A job of acme members only: the acme approver may approve it.
    edges.operator = admin;
    const own = await createBulkJobAction({ source: csv([member.email]), operation: "password.reset_email", reason: REASON });
    edges.operator = acmeAdmin;
    const ownId = (own as { data: { jobId: string } }).data.jobId;
    expect(await decideBulkJobAction({ jobId: ownId, decision: "approve", reason: "All acme members" })).toEqual({ ok: true, data: { status: "QUEUED" } });
  });
});
