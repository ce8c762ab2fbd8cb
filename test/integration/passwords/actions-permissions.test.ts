// First: stubs the framework edges before any app module loads (see the helper).
import { edges } from "../support/app-edges";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { newKey, startHarness, type Harness } from "./harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * The server actions end to end below the HTTP layer, with SUPPORT_CAN_SET_PASSWORD=false (the
 * e2e server runs with the default, true). Only the framework edges are stubbed: the session
 * (next-auth), request headers, translations and revalidation; the permission table, the
 * validation, the services, the database and the tenant are real.
 */
vi.hoisted(() => {
  process.env.SUPPORT_CAN_SET_PASSWORD = "false";
  process.env.LOG_LEVEL = "silent";
});
edges.requestId = "req-actions";

const { createResetTicketAction, sendResetEmailAction, setPasswordAction } =
  await import("@/lib/actions/passwords");

let h: Harness;
let support: OperatorIdentity;
let auditor: OperatorIdentity;
let admin: OperatorIdentity;
let userId: string;

beforeAll(async () => {
  h = await startHarness();
  edges.dangerZoneDeps = h.deps;
  edges.prisma = h.database.prisma;
  support = h.operator;
  auditor = await h.database.prisma.operator.create({
    data: { email: "auditor@passdesk.test", name: "Auditor", role: "AUDITOR", passwordHash: "x" },
    select: identitySelect,
  }).then(toOperatorIdentity);
  admin = await h.database.prisma.operator.create({
    data: { email: "admin@passdesk.test", name: "Admin", role: "ADMIN", passwordHash: "x" },
    select: identitySelect,
  }).then(toOperatorIdentity);
  userId = await h.createUser(`perm-${Date.now().toString(36)}@dz.passdesk.test`, "Start-Password-1!");
});

afterAll(async () => {
  await h?.close();
});

const setInput = () => ({
  userId,
  password: "Perm-Test-Pass-1!",
  reason: "INC-4001",
  idempotencyKey: newKey(),
});

describe("password actions with SUPPORT_CAN_SET_PASSWORD=false", () => {
  it("refuses support's password:set before anything is sent upstream", async () => {
    edges.operator = support;
    const before = await h.stats();
    const result = await setPasswordAction(setInput());
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
    expect((await h.stats()).patches).toBe(before.patches);
  });

  it("still lets support send a reset email and create a reset link", async () => {
    edges.operator = support;
    const email = await sendResetEmailAction({ userId, reason: "INC-4002", idempotencyKey: newKey() });
    expect(email).toMatchObject({ ok: true });
    const ticket = await createResetTicketAction({
      userId,
      reason: "INC-4003",
      idempotencyKey: newKey(),
      ttlSec: 900,
    });
    expect(ticket).toMatchObject({ ok: true });
  });

  it("refuses every password action for an auditor", async () => {
    edges.operator = auditor;
    const before = await h.stats();
    expect(await setPasswordAction(setInput())).toMatchObject({ ok: false, code: "forbidden" });
    expect(
      await sendResetEmailAction({ userId, reason: "INC-4004", idempotencyKey: newKey() }),
    ).toMatchObject({ ok: false, code: "forbidden" });
    expect(
      await createResetTicketAction({ userId, reason: "INC-4005", idempotencyKey: newKey() }),
    ).toMatchObject({ ok: false, code: "forbidden" });
    const after = await h.stats();
    expect([after.patches, after.emailsSent]).toEqual([before.patches, before.emailsSent]);
  });

  it("refuses a disabled operator's still-valid session before anything is sent upstream", async () => {
    const disabled = await h.database.prisma.operator.create({
      data: { email: "disabled-support@passdesk.test", name: "Disabled", role: "SUPPORT", passwordHash: "x" },
      select: identitySelect,
    }).then(toOperatorIdentity);
    edges.operator = disabled;
    const email = { userId, reason: "INC-4006", idempotencyKey: newKey() };
    const before = await h.stats();
    expect(await sendResetEmailAction({ ...email, idempotencyKey: newKey() })).toMatchObject({ ok: true });
    await h.database.prisma.operator.update({ where: { id: disabled.id }, data: { disabled: true } });
    expect(await sendResetEmailAction(email)).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(
      await createResetTicketAction({ userId, reason: "INC-4007", idempotencyKey: newKey(), ttlSec: 900 }),
    ).toMatchObject({ ok: false, code: "unauthenticated" });
    // Only the one email sent while still enabled reached the tenant.
    expect((await h.stats()).emailsSent).toBe(before.emailsSent + 1);
  });

  it("refuses a signed-out caller", async () => {
    edges.operator = null;
    expect(await setPasswordAction(setInput())).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("lets an admin set the password, and validates input on the server", async () => {
    edges.operator = admin;
    expect(await setPasswordAction({ ...setInput(), reason: "no" })).toMatchObject({
      ok: false,
      code: "invalid",
      fieldErrors: { reason: ["reason_too_short"] },
    });
    const result = await setPasswordAction(setInput());
    expect(result).toMatchObject({ ok: true });
    expect(
      await h.canSignIn(
        (
          await h.database.prisma.auditEvent.findFirst({
            where: { targetUserId: userId },
            select: { targetEmail: true },
          })
        )?.targetEmail ?? "",
        "Perm-Test-Pass-1!",
      ),
    ).toBe(true);
  });

  it("localizes Auth0's policy error onto the password field", async () => {
    edges.operator = admin;
    const result = await setPasswordAction({ ...setInput(), password: "short" });
    expect(result).toMatchObject({
      ok: false,
      code: "invalid",
      fieldErrors: { password: ["dangerZone.errors.policy.strength"] },
    });
  });
});
