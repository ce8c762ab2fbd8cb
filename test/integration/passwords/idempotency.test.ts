import { describe, expect, it } from "vitest";
import { createResetTicket } from "@/lib/danger-zone/create-reset-ticket";
import { sendResetEmail } from "@/lib/danger-zone/send-reset-email";
import { setPassword } from "@/lib/danger-zone/set-password";
import { emailsAt, newKey, setUpHarness } from "./harness";

/** Issue 11, point 8: an idempotency key replays only the request it was first used for. */

const h = setUpHarness();
const uniqueEmail = emailsAt("idem.passdesk.test");

describe("idempotency keys are bound to their input", () => {
  it("refuses a set-password key reused for another user and leaves that user's password alone", async () => {
    const firstEmail = uniqueEmail("first");
    const secondEmail = uniqueEmail("second");
    const firstId = await h.createUser(firstEmail, "First-Start-Pass-1!");
    const secondId = await h.createUser(secondEmail, "Second-Start-Pass-1!");
    const key = newKey();
    const context = { operator: h.operator, meta: h.meta };

    const first = await setPassword(
      h.deps,
      { userId: firstId, password: "First-New-Pass-22!", reason: "INC-2001", idempotencyKey: key, generated: false },
      context,
    );
    expect(first.ok).toBe(true);

    const before = await h.stats();
    const second = await setPassword(
      h.deps,
      { userId: secondId, password: "Second-New-Pass-33!", reason: "INC-2001", idempotencyKey: key, generated: false },
      context,
    );
    const after = await h.stats();

    expect(second).toEqual({ ok: false, failure: { code: "key_mismatch" } });
    expect(after.patches - before.patches).toBe(0);
    expect(await h.canSignIn(secondEmail, "Second-Start-Pass-1!")).toBe(true);
    expect(await h.canSignIn(secondEmail, "Second-New-Pass-33!")).toBe(false);
    // Nothing was audited for the second user: the request never started.
    expect(await h.database.prisma.auditEvent.count({ where: { targetUserId: secondId } })).toBe(0);
  });

  it("refuses a reset-link key reused with another lifetime, and replays the identical request", async () => {
    const userId = await h.createUser(uniqueEmail("ticket"), "Ticket-Start-Pass-1!");
    const key = newKey();
    const context = { operator: h.operator, meta: h.meta };
    const input = {
      userId,
      reason: "INC-2002",
      idempotencyKey: key,
      ttlSec: 3600,
      markEmailAsVerified: false,
      resultUrl: undefined,
    };
    const first = await createResetTicket(h.deps, input, context);
    expect(first.ok).toBe(true);

    const changed = await createResetTicket(h.deps, { ...input, ttlSec: 900 }, context);
    expect(changed).toEqual({ ok: false, failure: { code: "key_mismatch" } });

    const replayed = await createResetTicket(h.deps, input, context);
    expect(replayed).toMatchObject({ ok: true, data: { ticketUrl: null, ttlSec: 3600 } });
  });

  it("refuses a reset-email key reused with another reason", async () => {
    const userId = await h.createUser(uniqueEmail("email"), "Email-Start-Pass-1!");
    const key = newKey();
    const context = { operator: h.operator, meta: h.meta };
    const first = await sendResetEmail(h.deps, { userId, reason: "INC-2003 first", idempotencyKey: key }, context);
    expect(first.ok).toBe(true);
    const before = await h.stats();
    const second = await sendResetEmail(h.deps, { userId, reason: "INC-2003 other", idempotencyKey: key }, context);
    expect(second).toEqual({ ok: false, failure: { code: "key_mismatch" } });
    expect((await h.stats()).emailsSent - before.emailsSent).toBe(0);
  });
});
