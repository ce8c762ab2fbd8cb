// First: stubs the framework edges before any app module loads (see the helper).
import { edges } from "../support/app-edges";
import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetAuth0BusyGates } from "@/lib/auth0/busy-gate";
import { resetAuth0Health } from "@/lib/auth0/health";
import { getUser } from "@/lib/auth0/users";
import { resetOperatorRateLimits } from "@/lib/http/operator-rate-limit";
import { loadDiagnosis, loadResetStatus, loadTimelinePage } from "@/lib/support-case/service";
import { FIRST_CURSOR, type TimelinePage } from "@/lib/support-case/timeline";
import { installAuth0Clients } from "../faults/app-stubs";
import { newKey, setUpHarness } from "../passwords/harness";
import { identitySelect, toOperatorIdentity } from "@/lib/auth/operator-identity";

/**
 * Issue 14, the read side against the real local tenant and a real database: the diagnosis of a
 * locked user, the timeline with every operator's audit events, reset status, and each panel's
 * answer when the logs call fails (429, 5xx, missing scope) while the rest still loads.
 */
vi.hoisted(() => {
  process.env.LOG_LEVEL = "silent";
});
edges.requestId = "req-support-case";

const { sendResetEmailAction } = await import("@/lib/actions/passwords");
const { GET: timelineRoute } = await import("@/app/api/users/[id]/timeline/route");

const h = setUpHarness();
let sequenceOfEmails = 0;

function freshEmail(prefix: string): string {
  sequenceOfEmails += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequenceOfEmails}@case.passdesk.test`;
}

async function profileOf(userId: string) {
  const user = await getUser(userId);
  if (!user) throw new Error(`no user ${userId}`);
  return user;
}

beforeAll(async () => {
  installAuth0Clients(h.api, h.auth);
  edges.prisma = h.database.prisma;
  edges.dangerZoneDeps = h.deps;
  edges.operator = h.operator;
});

afterEach(async () => {
  await h.control("DELETE", "/faults");
  await h.control("PUT", "/scopes", { withhold: [] });
  h.api.clearCache();
  resetAuth0BusyGates();
  resetAuth0Health();
  resetOperatorRateLimits();
  edges.operator = h.operator;
});

describe("sign-in diagnosis", () => {
  it("a user after 10 wrong password grants is locked by brute-force protection: when, 10 attempts, the IP", async () => {
    const email = freshEmail("locked");
    const userId = await h.createUser(email, "Right-Password-1!");
    for (let i = 0; i < 10; i++) expect(await h.canSignIn(email, "Wrong-Password-0!")).toBe(false);
    expect(await h.canSignIn(email, "Right-Password-1!")).toBe(false);

    const view = await loadDiagnosis(await profileOf(userId));
    expect(view.blocksError).toBeNull();
    expect(view.logsError).toBeNull();
    expect(view.diagnosis).toMatchObject({ cause: "brute_force_locked", attempts: 10, ips: ["127.0.0.1"], fixAction: "unblock" });
    if (view.diagnosis.cause !== "brute_force_locked") throw new Error("unreachable");
    expect(view.diagnosis.lockedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("three wrong passwords: recent wrong passwords, fixed by a reset", async () => {
    const email = freshEmail("typo");
    const userId = await h.createUser(email, "Right-Password-1!");
    for (let i = 0; i < 3; i++) expect(await h.canSignIn(email, "Wrong-Password-0!")).toBe(false);
    const view = await loadDiagnosis(await profileOf(userId));
    expect(view.diagnosis).toMatchObject({ cause: "wrong_password", attempts: 3, ips: ["127.0.0.1"], fixAction: "reset_password" });
  });

  it("a healthy user who signed in: no recent failures", async () => {
    const email = freshEmail("healthy");
    const userId = await h.createUser(email, "Right-Password-1!");
    expect(await h.canSignIn(email, "Right-Password-1!")).toBe(true);
    const view = await loadDiagnosis(await profileOf(userId));
    expect(view.diagnosis).toEqual({ cause: "no_recent_failures", logsChecked: true, fixAction: null });
  });
});

describe("faults on the logs call: the panels say what they could not load", () => {
  it("429 on the logs: diagnosis without logs, timeline shows Passdesk's events and says rate_limited", async () => {
    const email = freshEmail("rate");
    const userId = await h.createUser(email, "Right-Password-1!");
    expect((await sendResetEmailAction({ userId, reason: "INC-429 timeline", idempotencyKey: newKey() })).ok).toBe(true);
    expect((await h.control("POST", "/faults", { method: "GET", path: "/api/v2/logs", action: { type: "status", status: 429, retryAfterSec: 30 } })).status).toBe(201);
    const user = await profileOf(userId);

    const diagnosis = await loadDiagnosis(user);
    expect(diagnosis.logsError).toMatchObject({ code: "rate_limited", scopes: [] });
    expect(diagnosis.blocksError).toBeNull();
    expect(diagnosis.diagnosis).toEqual({ cause: "no_recent_failures", logsChecked: false, fixAction: null });

    const timeline = await loadTimelinePage(userId, FIRST_CURSOR);
    expect(timeline.logsError).toMatchObject({ code: "rate_limited" });
    expect(timeline.entries.map((entry) => [entry.kind, entry.kind === "audit" ? entry.action : entry.type])).toEqual([
      ["audit", "password.reset_email"],
    ]);

    const reset = await loadResetStatus(user);
    expect(reset.logsError).toMatchObject({ code: "rate_limited" });
    expect(reset.statuses.map((status) => status.state)).toEqual(["waiting"]);
  });

  it("503 on the logs: unavailable, and the blocks still load", async () => {
    const userId = await h.createUser(freshEmail("down"), "Right-Password-1!");
    await h.control("POST", "/faults", { method: "GET", path: "/api/v2/logs", action: { type: "status", status: 503 } });
    const view = await loadDiagnosis(await profileOf(userId));
    expect(view.logsError).toEqual({ code: "unavailable", scopes: [], retryAt: null });
    expect(view.blocksError).toBeNull();
    expect((await loadTimelinePage(userId, FIRST_CURSOR)).logsError).toEqual({ code: "unavailable", scopes: [], retryAt: null });
  });

  it("a missing read:logs scope names the scopes; the user and blocks still load", async () => {
    const userId = await h.createUser(freshEmail("scope"), "Right-Password-1!");
    await h.control("PUT", "/scopes", { withhold: ["read:logs", "read:logs_users"] });
    const user = await profileOf(userId);
    const view = await loadDiagnosis(user);
    expect(view.logsError).toEqual({ code: "missing_scope", scopes: ["read:logs", "read:logs_users"], retryAt: null });
    expect(view.blocksError).toBeNull();
    expect((await loadTimelinePage(userId, FIRST_CURSOR)).logsError).toEqual({
      code: "missing_scope",
      scopes: ["read:logs", "read:logs_users"],
      retryAt: null,
    });
  });
});

describe("timeline and reset status", () => {
  it("shows every operator's events on the user to another support operator, interleaved with the tenant logs", async () => {
    const email = freshEmail("story");
    const userId = await h.createUser(email, "Right-Password-1!");
    expect((await sendResetEmailAction({ userId, reason: "INC-1 forgot password", idempotencyKey: newKey() })).ok).toBe(true);
    expect(await h.canSignIn(email, "Wrong-Password-0!")).toBe(false);

    const colleague = await h.database.prisma.operator.create({
      data: { email: `colleague-${sequenceOfEmails}@passdesk.test`, name: "Colleague", role: "SUPPORT", passwordHash: "not-used" },
      select: identitySelect,
    }).then(toOperatorIdentity);
    edges.operator = colleague;
    const response = await timelineRoute(
      new NextRequest(new URL(`http://localhost:3000/api/users/${encodeURIComponent(userId)}/timeline`)),
      { params: Promise.resolve({ id: userId }) },
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as TimelinePage;
    expect(page.logsError).toBeNull();
    expect(page.nextCursor).toBeNull();
    expect(page.entries.map((entry) => (entry.kind === "audit" ? `audit:${entry.action}:${entry.actorEmail}:${entry.outcome}` : `log:${entry.type}`))).toEqual([
      "log:fp",
      "log:scpr",
      "audit:password.reset_email:support@passdesk.test:SUCCEEDED",
    ]);
  });

  it("an unknown user is a 404 and a forged cursor a 400", async () => {
    const unknown = await timelineRoute(
      new NextRequest(new URL("http://localhost:3000/api/users/auth0%7C000000000000000000000000/timeline")),
      { params: Promise.resolve({ id: "auth0|000000000000000000000000" }) },
    );
    expect(unknown.status).toBe(404);
    const userId = await h.createUser(freshEmail("cursor"), "Right-Password-1!");
    const forged = await timelineRoute(
      new NextRequest(new URL(`http://localhost:3000/api/users/${encodeURIComponent(userId)}/timeline?cursor=eyJ4IjoxfQ`)),
      { params: Promise.resolve({ id: userId }) },
    );
    expect(forged.status).toBe(400);
  });

  it("a second reset email supersedes the first", async () => {
    const userId = await h.createUser(freshEmail("twice"), "Right-Password-1!");
    expect((await sendResetEmailAction({ userId, reason: "INC-2 first", idempotencyKey: newKey() })).ok).toBe(true);
    expect((await sendResetEmailAction({ userId, reason: "INC-2 second", idempotencyKey: newKey() })).ok).toBe(true);
    const view = await loadResetStatus(await profileOf(userId));
    expect(view.statuses.map((status) => [status.kind, status.state, status.actorEmail])).toEqual([
      ["email", "waiting", "support@passdesk.test"],
      ["email", "superseded", "support@passdesk.test"],
    ]);
  });
});
