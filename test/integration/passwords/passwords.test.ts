import { describe, expect, it } from "vitest";
import { resetAuth0BusyGates } from "@/lib/auth0/busy-gate";
import { createTestDatabase } from "@/lib/db/test-database";
import { createResetTicket } from "@/lib/danger-zone/create-reset-ticket";
import { sendResetEmail } from "@/lib/danger-zone/send-reset-email";
import { setPassword } from "@/lib/danger-zone/set-password";
import { DATABASE_CONNECTION, dumpDatabase, emailsAt, newKey, SEED_PASSWORD, setUpHarness } from "./harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

const h = setUpHarness();
const uniqueEmail = emailsAt("dz.passdesk.test");

async function auditRows(userId: string) {
  return h.database.prisma.auditEvent.findMany({
    where: { targetUserId: userId },
    orderBy: { sequence: "asc" },
    select: {
      sequence: true,
      action: true,
      outcome: true,
      reason: true,
      relatedSequence: true,
      details: true,
      actorEmail: true,
      targetConnection: true,
    },
  });
}

describe("set password", () => {
  it("changes the password at the tenant and writes pending + succeeded audit events without the password", async () => {
    const email = uniqueEmail("set");
    const oldPassword = "Old-Password-42!";
    const newPassword = "Brand-New-Secret-77?";
    const userId = await h.createUser(email, oldPassword);
    expect(await h.canSignIn(email, oldPassword)).toBe(true);

    const result = await setPassword(
      h.deps,
      {
        userId,
        password: newPassword,
        reason: "INC-1001 caller verified",
        idempotencyKey: newKey(),
        generated: false,
      },
      { operator: h.operator, meta: h.meta },
    );
    expect(result).toMatchObject({
      ok: true,
      data: { connection: DATABASE_CONNECTION, isAuditComplete: true },
    });

    expect(await h.canSignIn(email, newPassword)).toBe(true);
    expect(await h.canSignIn(email, oldPassword)).toBe(false);

    const rows = await auditRows(userId);
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([
      ["password.set", "PENDING"],
      ["password.set", "SUCCEEDED"],
    ]);
    expect(rows[0]).toMatchObject({
      reason: "INC-1001 caller verified",
      actorEmail: "support@passdesk.test",
      targetConnection: DATABASE_CONNECTION,
    });
    expect(rows[1]?.relatedSequence).toBe(rows[0]?.sequence);
    expect(await dumpDatabase(h.database)).not.toContain(newPassword);
  });

  it("relays Auth0's policy error, records the failure, and lets the same dialog try again", async () => {
    const email = uniqueEmail("policy");
    const userId = await h.createUser(email, "Start-Password-1!");
    const key = newKey();
    const weak = "weakling";
    const refused = await setPassword(
      h.deps,
      { userId, password: weak, reason: "INC-1002", idempotencyKey: key, generated: false },
      { operator: h.operator, meta: h.meta },
    );
    expect(refused).toEqual({ ok: false, failure: { code: "policy", kind: "strength" } });
    const rows = await auditRows(userId);
    expect(rows.map((row) => row.outcome)).toEqual(["PENDING", "FAILED"]);
    expect(rows[1]?.details).toMatchObject({ httpStatus: 400, auth0ErrorCode: "PasswordStrengthError" });
    expect(await dumpDatabase(h.database)).not.toContain(weak);

    // The failed attempt released its key: the corrected password goes through with it.
    const retried = await setPassword(
      h.deps,
      { userId, password: "Much-Better-Pass-9!", reason: "INC-1002", idempotencyKey: key, generated: true },
      { operator: h.operator, meta: h.meta },
    );
    expect(retried.ok).toBe(true);
    expect(await h.canSignIn(email, "Much-Better-Pass-9!")).toBe(true);
  });

  it("sends one PATCH for a double submission with the same idempotency key", async () => {
    const email = uniqueEmail("idem");
    const userId = await h.createUser(email, "Start-Password-1!");
    const key = newKey();
    const input = {
      userId,
      password: "Idempotent-Pass-5!",
      reason: "INC-1003",
      idempotencyKey: key,
      generated: false,
    };
    const before = await h.stats();
    const [first, second] = await Promise.all([
      setPassword(h.deps, input, { operator: h.operator, meta: h.meta }),
      setPassword(h.deps, input, { operator: h.operator, meta: h.meta }),
    ]);
    const third = await setPassword(h.deps, input, { operator: h.operator, meta: h.meta });
    const after = await h.stats();
    expect(after.patches - before.patches).toBe(1);
    const outcomes = [first, second].map((result) => (result.ok ? "ok" : result.failure.code)).sort();
    expect(outcomes).toEqual(["in_progress", "ok"]);
    expect(third).toMatchObject({ ok: true, data: { connection: DATABASE_CONNECTION } });
    expect((await auditRows(userId)).filter((row) => row.outcome === "PENDING")).toHaveLength(1);
  });

  it("refuses a social-only user without calling the tenant's write endpoints", async () => {
    const userId = await h.findUserId("google.demo@gmail.example");
    const before = await h.stats();
    const context = { operator: h.operator, meta: h.meta };
    const set = await setPassword(
      h.deps,
      { userId, password: "Social-Pass-1!", reason: "INC-1004", idempotencyKey: newKey(), generated: false },
      context,
    );
    const email = await sendResetEmail(
      h.deps,
      { userId, reason: "INC-1004", idempotencyKey: newKey() },
      context,
    );
    const ticket = await createResetTicket(
      h.deps,
      {
        userId,
        reason: "INC-1004",
        idempotencyKey: newKey(),
        ttlSec: 3600,
        markEmailAsVerified: false,
        resultUrl: undefined,
      },
      context,
    );
    for (const result of [set, email, ticket]) {
      expect(result).toEqual({
        ok: false,
        failure: { code: "no_database_identity", providers: ["google-oauth2"] },
      });
    }
    const after = await h.stats();
    expect(after.patches).toBe(before.patches);
    expect(after.emailsSent).toBe(before.emailsSent);
    expect(
      Object.entries(after.requests).filter(([route]) => /tickets|change_password|PATCH/i.test(route)),
    ).toEqual(
      Object.entries(before.requests).filter(([route]) => /tickets|change_password|PATCH/i.test(route)),
    );
    expect(await auditRows(userId)).toEqual([]);
  });

  it("is fail-closed: when the pending audit event cannot be written nothing reaches the tenant", async () => {
    const email = uniqueEmail("closed");
    const userId = await h.createUser(email, "Start-Password-1!");
    const broken = await createTestDatabase();
    const operator = await broken.prisma.operator.create({
      data: { email: "support2@passdesk.test", name: "Support 2", role: "SUPPORT", passwordHash: "x" },
      select: identitySelect,
    }).then(toOperatorIdentity);
    // The audit table refuses inserts (as a full disk or a lost connection would).
    await broken.prisma.$executeRawUnsafe(
      `ALTER TABLE "AuditEvent" ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`,
    );
    // The same request twice (a fresh key each time), against the broken database.
    const attempt = () =>
      setPassword(
        { ...h.deps, db: broken.prisma },
        {
          userId,
          password: "Never-Sent-Pass-3!",
          reason: "INC-1005",
          idempotencyKey: newKey(),
          generated: false,
        },
        { operator, meta: h.meta },
      );
    const before = await h.stats();
    const result = await attempt();
    expect(result).toEqual({ ok: false, failure: { code: "audit_unavailable" } });
    expect((await h.stats()).patches).toBe(before.patches);
    expect(await h.canSignIn(email, "Start-Password-1!")).toBe(true);

    // A database that is gone altogether: same answer, same silence upstream.
    await broken.close();
    const again = await attempt();
    expect(again).toEqual({ ok: false, failure: { code: "audit_unavailable" } });
    expect((await h.stats()).patches).toBe(before.patches);
  });

  it("refuses to audit (and so to send) a reason that contains the new password", async () => {
    const email = uniqueEmail("leak");
    const userId = await h.createUser(email, "Start-Password-1!");
    const password = "Leaky-Secret-Pass-8!";
    const before = await h.stats();
    const result = await setPassword(
      h.deps,
      { userId, password, reason: `told them ${password}`, idempotencyKey: newKey(), generated: false },
      { operator: h.operator, meta: h.meta },
    );
    expect(result).toEqual({ ok: false, failure: { code: "audit_unavailable" } });
    expect((await h.stats()).patches).toBe(before.patches);
    expect(await dumpDatabase(h.database)).not.toContain(password);
  });

  it("reports Auth0's rate limit with a retry time and upstream failures, finalizing the audit event as failed", async () => {
    const email = uniqueEmail("limits");
    const userId = await h.createUser(email, "Start-Password-1!");
    const context = { operator: h.operator, meta: h.meta };
    await h.control("POST", "/faults", {
      method: "PATCH",
      path: "/api/v2/users/",
      times: 1,
      action: { type: "status", status: 429, retryAfterSec: 30 },
    });
    const limited = await setPassword(
      h.deps,
      { userId, password: "Limited-Pass-4!", reason: "INC-1006", idempotencyKey: newKey(), generated: false },
      context,
    );
    expect(limited.ok).toBe(false);
    if (!limited.ok) {
      expect(limited.failure.code).toBe("rate_limited");
      if (limited.failure.code === "rate_limited")
        expect(Date.parse(limited.failure.retryAt)).toBeGreaterThan(Date.now() + 20_000);
    }
    // Passdesk now holds users writes back until that reset (lib/auth0/busy-gate); model the
    // 30 s passing by forgetting it.
    resetAuth0BusyGates();
    await h.control("POST", "/faults", {
      method: "PATCH",
      path: "/api/v2/users/",
      times: 1,
      action: { type: "status", status: 503 },
    });
    const down = await setPassword(
      h.deps,
      { userId, password: "Limited-Pass-4!", reason: "INC-1006", idempotencyKey: newKey(), generated: false },
      context,
    );
    expect(down).toEqual({ ok: false, failure: { code: "upstream_unavailable", kind: "error_status", isOutcomeUnknown: false } });
    const rows = await auditRows(userId);
    expect(rows.map((row) => row.outcome)).toEqual(["PENDING", "FAILED", "PENDING", "FAILED"]);
    expect(rows[1]?.details).toMatchObject({ httpStatus: 429, errorCode: "rate_limited" });
    expect(rows[3]?.details).toMatchObject({ httpStatus: 503, errorCode: "upstream_error" });
    expect(await h.canSignIn(email, "Start-Password-1!")).toBe(true);
  });
});

describe("reset email", () => {
  it("sends Auth0's reset email to the user's address and audits the masked address", async () => {
    const email = uniqueEmail("mail");
    const userId = await h.createUser(email, "Start-Password-1!");
    const result = await sendResetEmail(
      h.deps,
      { userId, reason: "INC-2001", idempotencyKey: newKey() },
      { operator: h.operator, meta: h.meta },
    );
    expect(result).toMatchObject({ ok: true, data: { connection: DATABASE_CONNECTION } });
    if (result.ok) expect(result.data.emailMasked).toMatch(/^m\*\*\*[a-z0-9]@dz\.passdesk\.test$/);
    const outbox = (await (
      await h.fetch(`${h.tenant.url}/outbox.json?to=${encodeURIComponent(email)}`)
    ).json()) as { resetLink: string }[];
    expect(outbox).toHaveLength(1);
    const rows = await auditRows(userId);
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([
      ["password.reset_email", "PENDING"],
      ["password.reset_email", "SUCCEEDED"],
    ]);
    expect(rows[1]?.details).toMatchObject({ emailMasked: result.ok ? result.data.emailMasked : "" });
    expect(await dumpDatabase(h.database)).not.toContain(outbox[0]?.resetLink ?? "missing");
  });
});

describe("reset link", () => {
  it("returns the link once, audits lifetime and expiry, and stores the link nowhere", async () => {
    const email = uniqueEmail("ticket");
    const userId = await h.createUser(email, "Start-Password-1!");
    const key = newKey();
    const input = {
      userId,
      reason: "INC-3001",
      idempotencyKey: key,
      ttlSec: 900,
      markEmailAsVerified: true,
      resultUrl: undefined,
    };
    const result = await createResetTicket(h.deps, input, { operator: h.operator, meta: h.meta });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.ticketUrl).toMatch(/^https:\/\/localhost:\d+\/u\/reset-password\?ticket=/);
    const rows = await auditRows(userId);
    expect(rows[0]?.details).toMatchObject({ ttlSec: 900, markEmailAsVerified: true });
    expect(rows[1]?.details).toMatchObject({
      ttlSec: 900,
      expiresAt: result.data.expiresAt,
      httpStatus: 201,
    });
    const ticketId = new URL(result.data.ticketUrl ?? "").searchParams.get("ticket") ?? "missing";
    const dump = await dumpDatabase(h.database);
    expect(dump).not.toContain(ticketId);

    // A repeated submission learns that the link exists, not the link.
    const repeated = await createResetTicket(h.deps, input, { operator: h.operator, meta: h.meta });
    expect(repeated).toMatchObject({ ok: true, data: { ticketUrl: null, expiresAt: result.data.expiresAt } });
  });

  it("uses the seed password untouched for other users (sanity of the fixture)", async () => {
    expect(await h.canSignIn("alice.demo@example.com", SEED_PASSWORD)).toBe(true);
  });
});
