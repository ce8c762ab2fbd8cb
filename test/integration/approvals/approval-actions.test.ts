// First: stubs the framework edges before any app module loads (see the helper).
import { edges } from "../support/app-edges";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { resetOperatorRateLimits } from "@/lib/http/operator-rate-limit";
import { DATABASE_CONNECTION, newKey, startHarness, type Harness } from "../passwords/harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * The approval actions as a browser (or a script) posts them: the permission table, zod, the
 * four-eyes rule and the protected-user check are real; only the framework edges are stubbed.
 */
vi.hoisted(() => {
  process.env.LOG_LEVEL = "silent";
});
edges.requestId = "req-approval-actions";

const { decidePasswordApprovalAction, requestPasswordApprovalAction } =
  await import("@/lib/actions/approvals");
const { setPasswordAction, sendResetEmailAction } = await import("@/lib/actions/passwords");

let h: Harness;
let support: OperatorIdentity;
let admin: OperatorIdentity;
let auditor: OperatorIdentity;
let userId: string;
let email: string;
const REASON = "INC-3102 admin account recovery";

beforeAll(async () => {
  h = await startHarness();
  edges.dangerZoneDeps = { ...h.deps, protection: { query: 'app_metadata.roles:"admin"', connections: [] } };
  edges.prisma = h.database.prisma;
  const operator = (name: string, role: "ADMIN" | "AUDITOR") =>
    h.database.prisma.operator
      .create({
        data: { email: `${name}@passdesk.test`, name, role, passwordHash: "x" },
        select: identitySelect,
      })
      .then(toOperatorIdentity);
  support = h.operator;
  admin = await operator("approver-admin", "ADMIN");
  auditor = await operator("auditor", "AUDITOR");
  email = `actions-${Date.now().toString(36)}@protected.passdesk.test`;
  const created = await h.api.run("test.create_user", (client) =>
    client.users.create({
      connection: DATABASE_CONNECTION,
      email,
      password: "Start-Password-1!",
      email_verified: true,
      app_metadata: { roles: ["admin"] },
    }),
  );
  userId = (created as { user_id: string }).user_id;
});

afterAll(async () => {
  await h?.close();
});

describe("protected-user approval actions", () => {
  it("the Danger Zone action answers approval_required; a request is stored; nobody but another admin may decide it, also when posting directly", async () => {
    resetOperatorRateLimits();
    edges.operator = support;
    expect(await sendResetEmailAction({ userId, reason: REASON, idempotencyKey: newKey() })).toEqual({
      ok: false,
      code: "approval_required",
      error: "dangerZone.errors.approvalRequired",
    });
    const requested = await requestPasswordApprovalAction({
      userId,
      reason: REASON,
      terms: { operation: "password.reset_email" },
    });
    if (!requested.ok) throw new Error(JSON.stringify(requested));
    const approvalId = requested.data.approvalId;
    expect(await sendResetEmailAction({ userId, reason: REASON, idempotencyKey: newKey() })).toMatchObject({
      ok: false,
      code: "approval_required",
      error: "dangerZone.errors.approvalPending",
    });

    // The requester posts the decision directly: refused by the table (support lacks approvals:decide).
    expect(
      await decidePasswordApprovalAction({ approvalId, decision: "approve", reason: "I approve myself" }),
    ).toMatchObject({ ok: false, code: "forbidden" });
    edges.operator = auditor;
    expect(
      await decidePasswordApprovalAction({ approvalId, decision: "approve", reason: "Auditor approves" }),
    ).toMatchObject({ ok: false, code: "forbidden" });
    // An auditor cannot request a password action either.
    expect(
      await requestPasswordApprovalAction({
        userId,
        reason: REASON,
        terms: { operation: "password.reset_email" },
      }),
    ).toMatchObject({ ok: false, code: "forbidden" });
    expect((await h.database.prisma.passwordApproval.findUnique({ where: { id: approvalId } }))?.status).toBe(
      "AWAITING_APPROVAL",
    );

    edges.operator = admin;
    expect(
      await decidePasswordApprovalAction({
        approvalId,
        decision: "approve",
        reason: "Verified with the owner",
      }),
    ).toEqual({ ok: true, data: { status: "APPROVED" } });
    edges.operator = support;
    const sent = await sendResetEmailAction({ userId, reason: REASON, idempotencyKey: newKey() });
    expect(sent.ok).toBe(true);
    const outbox = (await (await h.fetch(`${h.tenant.url}/outbox.json`)).json()) as { to: string }[];
    expect(outbox.filter((message) => message.to.toLowerCase() === email.toLowerCase())).toHaveLength(1);
  });

  it("an admin's own request cannot be approved by that admin, posted directly", async () => {
    resetOperatorRateLimits();
    edges.operator = admin;
    const requested = await requestPasswordApprovalAction({
      userId,
      reason: REASON,
      terms: { operation: "password.set", signOutEverywhere: true },
    });
    if (!requested.ok) throw new Error(JSON.stringify(requested));
    expect(
      await decidePasswordApprovalAction({
        approvalId: requested.data.approvalId,
        decision: "approve",
        reason: "Approving my own",
      }),
    ).toEqual({
      ok: false,
      code: "forbidden",
      error: "approvals.errors.ownRequest",
    });
    expect(
      await setPasswordAction({
        userId,
        password: "Admin-Own-Choice-77!",
        reason: REASON,
        idempotencyKey: newKey(),
        signOutEverywhere: true,
      }),
    ).toMatchObject({
      ok: false,
      code: "approval_required",
    });
    expect(await h.canSignIn(email, "Admin-Own-Choice-77!")).toBe(false);
  });

  it("refuses malformed input (zod) and a request for an unprotected user", async () => {
    resetOperatorRateLimits();
    edges.operator = support;
    expect(
      await requestPasswordApprovalAction({
        userId,
        reason: REASON,
        terms: { operation: "password.ticket", ttlSec: 10, markEmailAsVerified: false },
      }),
    ).toMatchObject({ ok: false, code: "invalid" });
    expect(
      await requestPasswordApprovalAction({
        userId,
        reason: REASON,
        terms: { operation: "password.set", signOutEverywhere: false, password: "x" },
      }),
    ).toMatchObject({ ok: false, code: "invalid" });
    const plainId = await h.createUser(
      `plain-${Date.now().toString(36)}@protected.passdesk.test`,
      "Start-Password-1!",
    );
    expect(
      await requestPasswordApprovalAction({
        userId: plainId,
        reason: REASON,
        terms: { operation: "password.reset_email" },
      }),
    ).toEqual({
      ok: false,
      code: "conflict",
      error: "approvals.errors.notProtected",
    });
  });
});
