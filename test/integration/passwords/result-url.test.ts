import { describe, expect, it } from "vitest";
import { createResetTicket } from "@/lib/danger-zone/create-reset-ticket";
import { dumpDatabase, emailsAt, newKey, setUpHarness } from "./harness";

/** Issue 11, point 7: a reset link's redirect is recorded, and only configured hosts are allowed. */

const h = setUpHarness();
const uniqueEmail = emailsAt("result-url.passdesk.test");

describe("reset link result URL", () => {
  it("records an allowed resultUrl in the pending event, never the link itself", async () => {
    const userId = await h.createUser(uniqueEmail("allowed"), "Allowed-Start-Pass-1!");
    const deps = { ...h.deps, resultUrlHosts: ["app.example.com"] };
    const result = await createResetTicket(
      deps,
      {
        userId,
        reason: "INC-3001",
        idempotencyKey: newKey(),
        ttlSec: 3600,
        markEmailAsVerified: false,
        resultUrl: "https://app.example.com/welcome-back",
      },
      { operator: h.operator, meta: h.meta },
    );
    expect(result.ok).toBe(true);
    const ticketUrl = result.ok ? result.data.ticketUrl : null;
    expect(ticketUrl).toMatch(/^https:\/\//);
    const rows = await h.database.prisma.auditEvent.findMany({
      where: { targetUserId: userId },
      orderBy: { sequence: "asc" },
      select: { outcome: true, details: true },
    });
    expect(rows.map((row) => row.outcome)).toEqual(["PENDING", "SUCCEEDED"]);
    expect(rows[0]?.details).toMatchObject({ resultUrl: "https://app.example.com/welcome-back" });
    expect(await dumpDatabase(h.database)).not.toContain(ticketUrl as string);
  });

  it("refuses a host that is not listed, sending nothing to Auth0 and auditing nothing", async () => {
    const userId = await h.createUser(uniqueEmail("refused"), "Refused-Start-Pass-1!");
    const deps = { ...h.deps, resultUrlHosts: ["app.example.com"] };
    const before = await h.stats();
    const result = await createResetTicket(
      deps,
      {
        userId,
        reason: "INC-3002",
        idempotencyKey: newKey(),
        ttlSec: 3600,
        markEmailAsVerified: false,
        resultUrl: "https://evil.example/phish",
      },
      { operator: h.operator, meta: h.meta },
    );
    const after = await h.stats();
    expect(result).toEqual({
      ok: false,
      failure: { code: "result_url_not_allowed", allowedHosts: ["app.example.com"] },
    });
    expect(after.requests["POST /api/v2/tickets/password-change"] ?? 0).toBe(
      before.requests["POST /api/v2/tickets/password-change"] ?? 0,
    );
    expect(await h.database.prisma.auditEvent.count({ where: { targetUserId: userId } })).toBe(0);
  });

  it("refuses any resultUrl when no host is configured", async () => {
    const userId = await h.createUser(uniqueEmail("none"), "None-Start-Pass-1!");
    const result = await createResetTicket(
      { ...h.deps, resultUrlHosts: [] },
      {
        userId,
        reason: "INC-3003",
        idempotencyKey: newKey(),
        ttlSec: 3600,
        markEmailAsVerified: false,
        resultUrl: "https://app.example.com/done",
      },
      { operator: h.operator, meta: h.meta },
    );
    expect(result).toEqual({ ok: false, failure: { code: "result_url_not_allowed", allowedHosts: [] } });
  });
});
