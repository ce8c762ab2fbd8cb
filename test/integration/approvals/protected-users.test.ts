import { describe, expect, it } from "vitest";
import {
  decidePasswordApproval,
  expirePasswordApprovals,
  requestPasswordApproval,
} from "@/lib/approvals/password-approvals";
import type { ApprovalTerms } from "@/lib/approvals/terms";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { createResetTicket } from "@/lib/danger-zone/create-reset-ticket";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import { sendResetEmail } from "@/lib/danger-zone/send-reset-email";
import { setPassword } from "@/lib/danger-zone/set-password";
import { DATABASE_CONNECTION, emailsAt, insertOperator, newKey, setUpHarness } from "../passwords/harness";

/**
 * Four-eyes for password actions on protected users (issue 17, item 5) against the local tenant
 * and a real database: a protected user (app_metadata.roles admin, or an identity in a protected
 * connection) gets no password change without another admin's approval, used once by the requester.
 */

const h = setUpHarness();
const uniqueEmail = emailsAt("protected.passdesk.test");
const OLD_PASSWORD = "Initial-Password-42!";
const NEW_PASSWORD = "Approved-Change-9731!";
const REASON = "INC-3101 admin locked out";
const TTL = { approvalTtlSec: 3600 };
const SET_TERMS: ApprovalTerms = { operation: "password.set", signOutEverywhere: false };

function deps(): DangerZoneDeps {
  return {
    ...h.deps,
    protection: { query: 'app_metadata.roles:"admin"', connections: ["Passdesk-Staff-DB"] },
  };
}

async function operator(name: string, role: "ADMIN" | "SUPPORT"): Promise<OperatorIdentity> {
  return insertOperator(h.database.prisma, { email: `${name}-${crypto.randomUUID().slice(0, 8)}@passdesk.test`, name, role });
}

async function protectedUser(prefix: string): Promise<{ email: string; userId: string }> {
  const email = uniqueEmail(prefix);
  const created = await h.api.run("test.create_user", (client) =>
    client.users.create({
      connection: DATABASE_CONNECTION,
      email,
      password: OLD_PASSWORD,
      email_verified: true,
      name: "Protected Admin",
      app_metadata: { roles: ["admin"] },
    }),
  );
  return { email, userId: (created as { user_id: string }).user_id };
}

const as = (op: OperatorIdentity) => ({ operator: op, meta: h.meta });

function setInput(userId: string, password = NEW_PASSWORD) {
  return {
    userId,
    password,
    reason: REASON,
    idempotencyKey: newKey(),
    generated: false,
    signOutEverywhere: false,
  };
}

async function events(approvalId: string): Promise<string[]> {
  const rows = await h.database.prisma.auditEvent.findMany({
    where: { details: { path: ["approvalId"], equals: approvalId } },
    orderBy: { sequence: "asc" },
    select: { action: true, outcome: true },
  });
  return rows.map((row) => `${row.action} ${row.outcome}`);
}

async function requested(
  userId: string,
  requester: OperatorIdentity,
  terms: ApprovalTerms = SET_TERMS,
  now?: Date,
) {
  const result = await requestPasswordApproval(
    deps(),
    { userId, reason: REASON, terms },
    as(requester),
    TTL,
    now,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  expect(result.data.status).toBe("AWAITING_APPROVAL");
  return result.data.approvalId;
}

describe("password actions on protected users", () => {
  it("without an approval: refused with approval_required and nothing sent to Auth0; an unprotected user is unaffected", async () => {
    const support = await operator("support", "SUPPORT");
    const user = await protectedUser("noapproval");
    const before = await h.stats();
    expect(await setPassword(deps(), setInput(user.userId), as(support))).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
    expect(
      await sendResetEmail(
        deps(),
        { userId: user.userId, reason: REASON, idempotencyKey: newKey() },
        as(support),
      ),
    ).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
    const ticket = await createResetTicket(
      deps(),
      {
        userId: user.userId,
        reason: REASON,
        idempotencyKey: newKey(),
        ttlSec: 3600,
        markEmailAsVerified: false,
        resultUrl: undefined,
      },
      as(support),
    );
    expect(ticket).toEqual({ ok: false, failure: { code: "approval_required", isPending: false } });
    const after = await h.stats();
    expect(after.passwordChanges - before.passwordChanges).toBe(0);
    expect(after.emailsSent - before.emailsSent).toBe(0);
    expect(await h.canSignIn(user.email, OLD_PASSWORD)).toBe(true);
    // No pending password event either: the refusal happens before the audited operation.
    expect(
      await h.database.prisma.auditEvent.count({
        where: { action: "password.set", targetUserId: user.userId },
      }),
    ).toBe(0);

    const plainEmail = uniqueEmail("plain");
    const plainId = await h.createUser(plainEmail, OLD_PASSWORD);
    const plain = await setPassword(deps(), setInput(plainId), as(support));
    expect(plain.ok).toBe(true);
    expect(await h.canSignIn(plainEmail, NEW_PASSWORD)).toBe(true);
    // Not protected: no request can be made for it either.
    expect(
      await requestPasswordApproval(
        deps(),
        { userId: plainId, reason: REASON, terms: SET_TERMS },
        as(support),
        TTL,
      ),
    ).toEqual({
      ok: false,
      error: { code: "not_protected" },
    });
  });

  it("a user with an identity in a protected connection is protected too, whatever their metadata", async () => {
    const support = await operator("support", "SUPPORT");
    const userId = await h.createUser(uniqueEmail("connection"), OLD_PASSWORD);
    const byConnection = { ...h.deps, protection: { query: undefined, connections: [DATABASE_CONNECTION] } };
    expect(
      await sendResetEmail(byConnection, { userId, reason: REASON, idempotencyKey: newKey() }, as(support)),
    ).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
  });

  it("request → reject: the requester still cannot act, and the decision is audited with its reason", async () => {
    const support = await operator("support", "SUPPORT");
    const admin = await operator("admin", "ADMIN");
    const user = await protectedUser("reject");
    const approvalId = await requested(user.userId, support);
    expect(await setPassword(deps(), setInput(user.userId), as(support))).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: true },
    });
    expect(
      await decidePasswordApproval(
        h.database.prisma,
        { approvalId, decision: "reject", reason: "Call the admin back first" },
        as(admin),
        TTL,
      ),
    ).toEqual({ ok: true, data: { status: "REJECTED" } });
    expect(await setPassword(deps(), setInput(user.userId), as(support))).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
    expect(await h.canSignIn(user.email, OLD_PASSWORD)).toBe(true);
    expect(await events(approvalId)).toEqual(["approval.requested SUCCEEDED", "approval.rejected SUCCEEDED"]);
    const rejected = await h.database.prisma.auditEvent.findFirst({
      where: { action: "approval.rejected", details: { path: ["approvalId"], equals: approvalId } },
    });
    expect(rejected).toMatchObject({
      reason: "Call the admin back first",
      actorOperatorId: admin.id,
      targetUserId: user.userId,
    });
    // A decided request cannot be decided again.
    const other = await operator("admin-2", "ADMIN");
    expect(
      await decidePasswordApproval(
        h.database.prisma,
        { approvalId, decision: "approve", reason: "Overrule" },
        as(other),
        TTL,
      ),
    ).toEqual({
      ok: false,
      error: { code: "wrong_state", status: "REJECTED" },
    });
  });

  it("request → approve → the requester sets the password once: the new one works at the tenant, the old one not; the approver cannot use it", async () => {
    const support = await operator("support", "SUPPORT");
    const admin = await operator("admin", "ADMIN");
    const user = await protectedUser("approve");
    const approvalId = await requested(user.userId, support);
    // Never the requester, whatever they post.
    expect(
      await decidePasswordApproval(
        h.database.prisma,
        { approvalId, decision: "approve", reason: "Self approval" },
        as(support),
        TTL,
      ),
    ).toEqual({
      ok: false,
      error: { code: "own_request" },
    });
    expect(
      await decidePasswordApproval(
        h.database.prisma,
        { approvalId, decision: "approve", reason: "Verified by phone" },
        as(admin),
        TTL,
      ),
    ).toEqual({
      ok: true,
      data: { status: "APPROVED" },
    });
    // The approver has no approval of their own for it.
    expect(await setPassword(deps(), setInput(user.userId, "Approver-Tries-8812!"), as(admin))).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
    // Other terms (sign out everywhere) are not what was approved.
    expect(
      await setPassword(deps(), { ...setInput(user.userId), signOutEverywhere: true }, as(support)),
    ).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
    const done = await setPassword(deps(), setInput(user.userId), as(support));
    expect(done.ok).toBe(true);
    expect(await h.canSignIn(user.email, NEW_PASSWORD)).toBe(true);
    expect(await h.canSignIn(user.email, OLD_PASSWORD)).toBe(false);
    expect(await events(approvalId)).toEqual([
      "approval.requested SUCCEEDED",
      "approval.approved SUCCEEDED",
      "password.set PENDING",
    ]);
    const row = await h.database.prisma.passwordApproval.findUnique({ where: { id: approvalId } });
    expect(row?.status).toBe("USED");
    // Used once: a second change is refused.
    expect(await setPassword(deps(), setInput(user.userId, "Second-Change-5521!"), as(support))).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
    expect(await h.canSignIn(user.email, NEW_PASSWORD)).toBe(true);
    // No password in the request table, ever.
    const dump = await h.database.prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "PasswordApproval" t`,
    );
    expect(dump.map((r) => r.row).join("\n")).not.toContain(NEW_PASSWORD);
  });

  it("two tabs at once: the approval is used by exactly one", async () => {
    const support = await operator("support", "SUPPORT");
    const admin = await operator("admin", "ADMIN");
    const user = await protectedUser("tabs");
    const approvalId = await requested(user.userId, support);
    await decidePasswordApproval(
      h.database.prisma,
      { approvalId, decision: "approve", reason: "Verified by phone" },
      as(admin),
      TTL,
    );
    const before = await h.stats();
    const results = await Promise.all([
      setPassword(deps(), setInput(user.userId, "First-Tab-Password-71!"), as(support)),
      setPassword(deps(), setInput(user.userId, "Second-Tab-Password-72!"), as(support)),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok).map((result) => !result.ok && result.failure)).toEqual([
      { code: "approval_required", isPending: false },
    ]);
    expect((await h.stats()).passwordChanges - before.passwordChanges).toBe(1);
  });

  it("expired: a request nobody decided in time, and an approval nobody used in time, cannot be used", async () => {
    const support = await operator("support", "SUPPORT");
    const admin = await operator("admin", "ADMIN");
    const user = await protectedUser("expired");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const stale = await requested(user.userId, support, SET_TERMS, twoHoursAgo);
    expect(
      await decidePasswordApproval(
        h.database.prisma,
        { approvalId: stale, decision: "approve", reason: "Too late now" },
        as(admin),
        TTL,
      ),
    ).toEqual({
      ok: false,
      error: { code: "expired" },
    });
    expect(await events(stale)).toEqual(["approval.requested SUCCEEDED", "approval.expired SUCCEEDED"]);

    const late = await requested(user.userId, support);
    // Approved two hours ago with a one-hour window: over.
    expect(
      await decidePasswordApproval(
        h.database.prisma,
        { approvalId: late, decision: "approve", reason: "Verified by phone" },
        as(admin),
        TTL,
        twoHoursAgo,
      ),
    ).toEqual({ ok: true, data: { status: "APPROVED" } });
    expect(await setPassword(deps(), setInput(user.userId), as(support))).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
    expect(await expirePasswordApprovals(h.database.prisma)).toBeGreaterThanOrEqual(1);
    expect((await h.database.prisma.passwordApproval.findUnique({ where: { id: late } }))?.status).toBe(
      "EXPIRED",
    );
    expect(await h.canSignIn(user.email, OLD_PASSWORD)).toBe(true);
  });

  it("a reset link is approved with its options: another lifetime needs its own approval", async () => {
    const support = await operator("support", "SUPPORT");
    const admin = await operator("admin", "ADMIN");
    const user = await protectedUser("ticket");
    const terms: ApprovalTerms = {
      operation: "password.ticket",
      ttlSec: 3600,
      markEmailAsVerified: false,
      resultUrl: null,
    };
    const approvalId = await requested(user.userId, support, terms);
    await decidePasswordApproval(
      h.database.prisma,
      { approvalId, decision: "approve", reason: "Verified by phone" },
      as(admin),
      TTL,
    );
    const ticket = (ttlSec: number) =>
      createResetTicket(
        deps(),
        {
          userId: user.userId,
          reason: REASON,
          idempotencyKey: newKey(),
          ttlSec,
          markEmailAsVerified: false,
          resultUrl: undefined,
        },
        as(support),
      );
    expect(await ticket(86_400)).toEqual({
      ok: false,
      failure: { code: "approval_required", isPending: false },
    });
    const created = await ticket(3600);
    expect(created.ok && created.data.ticketUrl).toMatch(/^https:\/\//);
    const event = await h.database.prisma.auditEvent.findFirst({
      where: { action: "password.ticket", outcome: "PENDING", targetUserId: user.userId },
      select: { details: true },
    });
    expect(event?.details).toMatchObject({ approvalId, ttlSec: 3600 });
  });

  it("a request needs the operation's own permission (a support operator without password:set is refused)", async () => {
    const auditor = await operator("auditor", "SUPPORT");
    await h.database.prisma.operator.update({ where: { id: auditor.id }, data: { role: "AUDITOR" } });
    const user = await protectedUser("perm");
    expect(
      await requestPasswordApproval(
        deps(),
        { userId: user.userId, reason: REASON, terms: SET_TERMS },
        as({ ...auditor, role: "AUDITOR" }),
        TTL,
      ),
    ).toEqual({
      ok: false,
      error: { code: "target", failure: { code: "not_permitted", permission: "password:set" } },
    });
    expect(await h.database.prisma.passwordApproval.count({ where: { userId: user.userId } })).toBe(0);
  });
});
