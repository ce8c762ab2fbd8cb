import { describe, expect, it } from "vitest";
import {
  decidePasswordApproval,
  listPasswordApprovals,
  requestPasswordApproval,
} from "@/lib/approvals/password-approvals";
import type { ApprovalTerms } from "@/lib/approvals/terms";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import { type Prisma } from "@/lib/generated/prisma/client";
import { DATABASE_CONNECTION, emailsAt, insertOperator, setUpHarness } from "../passwords/harness";

/**
 * Scoped operators (issue 16) and four-eyes approvals (issue 17): approvals only include users in
 * the operator's scope. A scoped requester asking for a user outside the scope gets what a missing
 * user gets (nothing stored); a scoped decider neither sees nor decides a request for a user
 * outside the scope (not found, the request still waiting). Local tenant, real database.
 */

const h = setUpHarness();
const uniqueEmail = emailsAt("scope-approvals.passdesk.test");
const TTL = { approvalTtlSec: 3600 };
const SET_TERMS: ApprovalTerms = { operation: "password.set", signOutEverywhere: false };
const EU = { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' };

function deps(): DangerZoneDeps {
  return { ...h.deps, protection: { query: 'app_metadata.roles:"admin"', connections: [] } };
}

function operator(name: string, role: "ADMIN" | "SUPPORT", scope: Prisma.InputJsonValue | null): Promise<OperatorIdentity> {
  return insertOperator(h.database.prisma, { email: `${name}-${crypto.randomUUID().slice(0, 8)}@passdesk.test`, name, role, scope });
}

/** A protected user (app_metadata.roles admin) in `region`. */
async function protectedUser(region: "eu" | "us"): Promise<string> {
  const created = await h.api.run("test.create_user", (client) =>
    client.users.create({
      connection: DATABASE_CONNECTION,
      email: uniqueEmail(`protected-${region}`),
      password: "Initial-Password-42!",
      email_verified: true,
      name: `Protected ${region}`,
      app_metadata: { roles: ["admin"], region },
    }),
  );
  return (created as { user_id: string }).user_id;
}

const as = (op: OperatorIdentity) => ({ operator: op, meta: h.meta });
const request = (userId: string, requester: OperatorIdentity) =>
  requestPasswordApproval(
    deps(),
    { userId, reason: "INC-9017 scoped four-eyes", terms: SET_TERMS },
    as(requester),
    TTL,
  );

describe("approvals within an operator's scope", () => {
  it("an EU-scoped requester's request for a US user is answered like a missing user, and nothing is stored", async () => {
    const euSupport = await operator("eu-support", "SUPPORT", EU);
    const usUser = await protectedUser("us");
    const euUser = await protectedUser("eu");

    expect(await request(usUser, euSupport)).toEqual({
      ok: false,
      error: { code: "target", failure: { code: "not_found" } },
    });
    expect(await h.database.prisma.passwordApproval.count({ where: { userId: usUser } })).toBe(0);

    const inScope = await request(euUser, euSupport);
    expect(inScope.ok).toBe(true);
  });

  it("an EU-scoped admin neither lists nor decides a request for a US user; an unscoped admin does", async () => {
    const support = await operator("support", "SUPPORT", null);
    const euAdmin = await operator("eu-admin", "ADMIN", EU);
    const admin = await operator("admin", "ADMIN", null);
    const usUser = await protectedUser("us");
    const euUser = await protectedUser("eu");
    const usRequest = await request(usUser, support);
    const euRequest = await request(euUser, support);
    if (!usRequest.ok || !euRequest.ok) throw new Error("the requests were not stored");

    const seenByEu = await listPasswordApprovals(
      h.database.prisma,
      { status: "AWAITING_APPROVAL", scope: euAdmin.scope },
      50,
      new Date(),
      h.api,
    );
    expect(seenByEu.some((row) => row.id === euRequest.data.approvalId)).toBe(true);
    expect(seenByEu.some((row) => row.id === usRequest.data.approvalId)).toBe(false);
    const seenByAll = await listPasswordApprovals(
      h.database.prisma,
      { status: "AWAITING_APPROVAL", scope: admin.scope },
      50,
      new Date(),
      h.api,
    );
    expect(seenByAll.some((row) => row.id === usRequest.data.approvalId)).toBe(true);

    const decide = (approvalId: string, decider: OperatorIdentity) =>
      decidePasswordApproval(
        h.database.prisma,
        { approvalId, decision: "approve", reason: "Checked by phone" },
        as(decider),
        TTL,
        new Date(),
        h.api,
      );
    expect(await decide(usRequest.data.approvalId, euAdmin)).toEqual({
      ok: false,
      error: { code: "not_found" },
    });
    const stillWaiting = await h.database.prisma.passwordApproval.findUniqueOrThrow({
      where: { id: usRequest.data.approvalId },
    });
    expect(stillWaiting.status).toBe("AWAITING_APPROVAL");
    expect(stillWaiting.decidedById).toBeNull();

    expect(await decide(euRequest.data.approvalId, euAdmin)).toEqual({
      ok: true,
      data: { status: "APPROVED" },
    });
    expect(await decide(usRequest.data.approvalId, admin)).toEqual({
      ok: true,
      data: { status: "APPROVED" },
    });
  });
});
