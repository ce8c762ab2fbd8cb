import { readFile } from "node:fs/promises";
import type { APIRequestContext, Browser, Download, Page } from "@playwright/test";
import {
  DEMO,
  createOperatorAsAdmin,
  expect,
  expectAccessible,
  signIn,
  test,
  uniqueEmail,
  uniqueTestIp,
} from "./support/fixtures";
import { createTestUser, deleteTestUsers } from "./support/tenant";

/**
 * The audit page, export and scope. Events are produced through the UI, as people would:
 * the Danger Zone on a user's profile (password operations, with reasons), operator sign-ins,
 * failed sign-ins, operator creation and role changes on /operators. The "outcome unknown" case
 * (a pending event without an outcome) cannot be produced through the UI and is covered in
 * lib/audit-view/service.test.ts.
 */

type EventJson = {
  sequence: string;
  actorOperatorId: string | null;
  actorEmail: string | null;
  action: string;
  outcome: string;
  effectiveOutcome: string;
  targetEmail: string | null;
  targetUserId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  hash: string;
  prevHash: string;
  resolution: { outcome: string; details: Record<string, unknown> } | null;
};
type PageJson = { events: EventJson[]; nextCursor: string | null };

async function newSignedInPage(browser: Browser, email: string, password?: string): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": uniqueTestIp() } });
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

async function getEvents(request: APIRequestContext, query: string): Promise<PageJson> {
  const response = await request.get(`/api/audit/events?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as PageJson;
}

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF) — enough to check an export honestly. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let isQuoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (isQuoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') isQuoted = false;
      else field += char;
    } else if (char === '"') isQuoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index += 1;
    } else field += char;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function downloadText(page: Page, linkName: string): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: linkName }).click(),
  ]);
  const path = await download.path();
  return { download, text: await readFile(path, "utf8") };
}

function rowsOf(page: Page) {
  return page.getByRole("table", { name: "Audit events, newest first" }).locator("tbody tr");
}

test.describe("audit page", () => {
  test("admin actions appear with actor, target and outcome; filters live in the URL; the drawer shows every field", async ({
    page,
  }) => {
    await signIn(page, DEMO.admin);
    const email = uniqueEmail("audited");
    await createOperatorAsAdmin(page, { email, name: "Audited Operator", role: "Auditor" });
    const row = page.getByRole("row", { name: new RegExp(email) });
    await row.getByLabel(`Change role for ${email}`).selectOption({ label: "Support" });
    await expect(row.getByText("Saved.")).toBeVisible();

    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    await expect(page.getByText(/events?, chain intact/)).toBeVisible();
    await expect(page.getByText(/^Checked /)).toBeVisible();

    // Filter by target through the form: the URL carries it, the table shows exactly the two events.
    await page.getByLabel("Target").fill(email);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("target")).toBe(email);
    await expect(rowsOf(page)).toHaveCount(2);
    const changed = rowsOf(page).nth(0);
    const created = rowsOf(page).nth(1);
    await expect(changed).toContainText("Operator role changed");
    await expect(created).toContainText("Operator created");
    for (const event of [changed, created]) {
      await expect(event).toContainText(DEMO.admin);
      await expect(event).toContainText(email);
      await expect(event).toContainText("Succeeded");
    }
    await expectAccessible(page);

    // A second filter narrows further; Back returns to the previous filter set.
    await page.getByLabel("Action").selectOption({ label: "Operator created" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=operator\.created/);
    await expect(rowsOf(page)).toHaveCount(1);
    await page.goBack();
    await expect(page).not.toHaveURL(/action=/);
    await expect(rowsOf(page)).toHaveCount(2);
    await expect(page.getByLabel("Action")).toHaveValue("");

    // A shared link shows the same thing after a full load.
    await page.reload();
    await expect(rowsOf(page)).toHaveCount(2);
    await expect(page.getByLabel("Target")).toHaveValue(email);

    // Detail drawer, opened from the keyboard; everything stored is shown; Escape closes it.
    const detailsLink = changed.getByRole("link", { name: /^Details of event \d+$/ });
    await detailsLink.focus();
    await page.keyboard.press("Enter");
    const drawer = page.getByRole("dialog");
    await expect(drawer).toBeVisible();
    await expect(page).toHaveURL(/[?&]event=\d+/);
    await expect(drawer.getByRole("heading", { name: /^Event \d+$/ })).toBeVisible();
    await expect(drawer).toContainText("Operator role changed");
    await expect(drawer).toContainText(DEMO.admin);
    await expect(drawer).toContainText(email);
    await expect(drawer).toContainText('"newRole": "SUPPORT"');
    await expect(drawer).toContainText('"previousRole": "AUDITOR"');
    await expect(drawer.getByText(/^[0-9a-f]{64}$/)).toHaveCount(2);
    await expectAccessible(page);
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(page).not.toHaveURL(/event=/);
    await expect(detailsLink).toBeFocused();

    // Opening an event from a shared link works too.
    const sequence = (await changed.getByRole("rowheader").textContent())?.trim() ?? "";
    await page.goto(`/audit?event=${sequence}`);
    await expect(page.getByRole("dialog").getByRole("heading", { name: `Event ${sequence}` })).toBeVisible();
  });

  test("failed sign-ins are recorded as failed, without an actor, and the outcome filter finds them", async ({
    page,
    browser,
  }) => {
    const unknownEmail = uniqueEmail("intruder");
    const anonymous = await (
      await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": uniqueTestIp() } })
    ).newPage();
    await anonymous.goto("/sign-in");
    await anonymous.getByLabel("Email").fill(unknownEmail);
    await anonymous.getByLabel("Password").fill("wrong-password-for-audit");
    await anonymous.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(anonymous.getByText("Wrong email or password.")).toBeVisible();

    await signIn(page, DEMO.auditor);
    await page.goto(`/audit?outcome=failed&target=${encodeURIComponent(unknownEmail)}`);
    await expect(page.getByLabel("Outcome")).toHaveValue("failed");
    await expect(rowsOf(page)).toHaveCount(1);
    await expect(rowsOf(page).first()).toContainText("Operator sign-in failed");
    await expect(rowsOf(page).first()).toContainText("Unknown operator");
    await expect(rowsOf(page).first()).toContainText("Failed");
    await page.goto(`/audit?outcome=succeeded&target=${encodeURIComponent(unknownEmail)}`);
    await expect(page.getByText("No events match these filters.")).toBeVisible();
  });

  test("keyset paging through the API returns every event once, newest first", async ({ page }) => {
    await signIn(page, DEMO.admin);
    const all = await getEvents(page.request, "view=events&limit=200");
    const seen: string[] = [];
    let cursor = "";
    for (let guard = 0; guard < 200; guard += 1) {
      const next = await getEvents(page.request, `view=events&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...next.events.map((event) => event.sequence));
      if (!next.nextCursor || seen.length >= all.events.length) break;
      cursor = next.nextCursor;
    }
    const expected = all.events.map((event) => event.sequence);
    expect(seen.slice(0, expected.length)).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(expected.map(Number)).toEqual([...expected.map(Number)].sort((a, b) => b - a));

    const invalid = await page.request.get("/api/audit/events?cursor=abc");
    expect(invalid.status()).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: "invalid_params", parameter: "cursor" } });
  });
});

test.describe("password history", () => {
  test("Danger Zone operations appear with actor, target, reason and outcome — on /audit, on the profile and in exports, never with the password", async ({
    page,
    browser,
  }) => {
    const user = await createTestUser({ email: uniqueEmail("history"), name: "History Subject" });
    try {
      const password = `Audit-Trail-${Date.now().toString(36)}!Aa1`;
      const emailReason = `INC-${Date.now()} caller asked for a reset email`;
      const setReason = `INC-${Date.now()} identity verified by callback`;

      await signIn(page, DEMO.support);
      await page.goto(`/users/${encodeURIComponent(user.userId)}`);
      const dangerZone = page.getByRole("region", { name: "Danger Zone" });
      await dangerZone.getByRole("button", { name: "Send email" }).click();
      const emailDialog = page.getByRole("dialog", { name: "Send password reset email" });
      await emailDialog.getByLabel("Reason").fill(emailReason);
      await emailDialog.getByRole("button", { name: "Continue" }).click();
      await emailDialog.getByRole("button", { name: "Send reset email" }).click();
      await page
        .getByRole("dialog", { name: "Reset email sent" })
        .getByRole("button", { name: "Close" })
        .click();

      await dangerZone.getByRole("button", { name: "Change" }).click();
      const setDialog = page.getByRole("dialog", { name: "Change password" });
      await setDialog.getByLabel("New password", { exact: true }).fill(password);
      await setDialog.getByLabel("Confirm new password", { exact: true }).fill(password);
      await setDialog.getByLabel("Reason").fill(setReason);
      // Only the password operations here (signing out everywhere is its own audited operation).
      await setDialog.getByLabel("Also sign the user out everywhere").uncheck();
      await setDialog.getByRole("button", { name: "Continue" }).click();
      await page
        .getByRole("dialog", { name: "Confirm password change" })
        .getByRole("button", { name: "Change password" })
        .click();
      await page
        .getByRole("dialog", { name: "Password changed" })
        .getByRole("button", { name: "Close" })
        .click();

      // The profile's history: who, what, why, outcome — newest first.
      await page.reload();
      const history = page.getByRole("region", { name: "Password history" });
      const historyRows = history.locator("tbody tr");
      await expect(historyRows).toHaveCount(2);
      await expect(historyRows.nth(0)).toContainText("Password set");
      await expect(historyRows.nth(0)).toContainText(setReason);
      await expect(historyRows.nth(1)).toContainText("Reset email sent");
      await expect(historyRows.nth(1)).toContainText(emailReason);
      for (const row of [historyRows.nth(0), historyRows.nth(1)]) {
        await expect(row).toContainText(DEMO.support);
        await expect(row).toContainText("Succeeded");
      }
      await expectAccessible(page);

      // The audit page, filtered by the Auth0 user id (the profile's link), shows the same.
      await history.getByRole("link", { name: "Open in the audit log" }).click();
      await expect(page).toHaveURL(/\/audit\?target=auth0%7C/);
      await expect(rowsOf(page)).toHaveCount(2);
      await expect(rowsOf(page).nth(0)).toContainText(setReason);
      await expect(rowsOf(page).nth(0)).toContainText(user.email);
      await expect(rowsOf(page).nth(0)).toContainText(user.userId);
      // Every chain event: each operation is a request and its linked outcome.
      await page.getByLabel("Show", { exact: true }).selectOption("events");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(rowsOf(page)).toHaveCount(4);
      await expect(rowsOf(page).nth(0)).toContainText(/outcome of event \d+/);
      await expect(rowsOf(page).nth(1)).toContainText("request");
      expect(await page.content()).not.toContain(password);

      // An admin's exports of this user's events hold the reasons and never the password.
      const admin = await newSignedInPage(browser, DEMO.admin);
      await admin.goto(`/audit?target=${encodeURIComponent(user.email)}&view=events`);
      await expect(rowsOf(admin)).toHaveCount(4);
      const csv = await downloadText(admin, "Download CSV");
      const ndjson = await downloadText(admin, "Download NDJSON");
      expect(csv.text).toContain(setReason);
      expect(parseCsv(csv.text)).toHaveLength(5);
      expect(ndjson.text.trimEnd().split("\n")).toHaveLength(4);
      for (const text of [csv.text, ndjson.text]) {
        expect(text).not.toContain(password);
        expect(text).toContain(DEMO.support);
      }
    } finally {
      await deleteTestUsers([user]);
    }
  });
});

test.describe("audit scope", () => {
  test("support sees only their own events — on the page, through the API and in single-event reads — and cannot export", async ({
    page,
    browser,
  }) => {
    await signIn(page, DEMO.admin);
    const supportEmail = uniqueEmail("support-scope");
    const password = await createOperatorAsAdmin(page, {
      email: supportEmail,
      name: "Scoped Support",
      role: "Support",
    });
    const adminEvents = await getEvents(
      page.request,
      `view=events&actor=${encodeURIComponent(DEMO.admin)}&limit=1`,
    );
    const adminEvent = adminEvents.events[0];
    expect(adminEvent).toBeDefined();

    const support = await newSignedInPage(browser, supportEmail, password);
    await support.goto("/audit");
    await expect(support.getByText("You see the actions you performed yourself.")).toBeVisible();
    await expect(rowsOf(support).first()).toBeVisible();
    const actors = await rowsOf(support).locator("td:nth-child(3)").allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    for (const actor of actors) expect(actor).toContain(supportEmail);
    await expect(support.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
    await expect(support.getByText(/chain intact/)).toHaveCount(0);
    await expectAccessible(support);

    // Asking the API for everything, or for someone else, still yields only their own events.
    const everything = await getEvents(support.request, "view=events&limit=200");
    expect(everything.events.length).toBeGreaterThan(0);
    expect(new Set(everything.events.map((event) => event.actorEmail))).toEqual(new Set([supportEmail]));
    expect((await getEvents(support.request, `actor=${encodeURIComponent(DEMO.admin)}`)).events).toEqual([]);
    const foreign = await support.request.get(`/api/audit/events/${adminEvent?.sequence}`);
    expect(foreign.status()).toBe(404);
    await support.goto(`/audit?event=${adminEvent?.sequence}`);
    await expect(support.getByRole("dialog")).toContainText(
      "This event does not exist or is not visible to you.",
    );

    // The export endpoint is not for support, whatever the link.
    for (const format of ["csv", "ndjson"]) {
      const response = await support.request.get(`/api/audit/export?format=${format}`);
      expect(response.status()).toBe(403);
      expect(await response.text()).not.toContain(DEMO.admin);
    }
  });

  test("signed-out callers get 401 from every audit endpoint", async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    for (const path of ["/api/audit/events", "/api/audit/events/1", "/api/audit/export?format=csv"]) {
      expect((await anonymous.get(path)).status(), path).toBe(401);
    }
    await anonymous.dispose();
  });
});

test.describe("audit export", () => {
  test("an auditor downloads CSV and NDJSON of exactly the filtered set, and the export is itself audited", async ({
    page,
    browser,
  }) => {
    await signIn(page, DEMO.admin);
    const targetEmail = uniqueEmail("exported");
    await createOperatorAsAdmin(page, { email: targetEmail, name: "Export Target", role: "Auditor" });
    const row = page.getByRole("row", { name: new RegExp(targetEmail) });
    await row.getByLabel(`Change role for ${targetEmail}`).selectOption({ label: "Support" });
    await expect(row.getByText("Saved.")).toBeVisible();
    const auditorEmail = uniqueEmail("auditor");
    const auditorPassword = await createOperatorAsAdmin(page, {
      email: auditorEmail,
      name: "Export Auditor",
      role: "Auditor",
    });

    const auditor = await newSignedInPage(browser, auditorEmail, auditorPassword);
    const newest = (await getEvents(auditor.request, `target=${encodeURIComponent(targetEmail)}`)).events[0];
    // Looking at the second page (older than the newest event): the export still holds the whole set.
    await auditor.goto(`/audit?target=${encodeURIComponent(targetEmail)}&cursor=${newest?.sequence}`);
    await expect(rowsOf(auditor)).toHaveCount(1);
    await expect(auditor.getByRole("link", { name: "Download CSV" })).toBeVisible();

    const csv = await downloadText(auditor, "Download CSV");
    expect(csv.download.suggestedFilename()).toMatch(/^passdesk-audit-\d{8}T\d{6}Z\.csv$/);
    const [header, ...records] = parseCsv(csv.text);
    expect(header).toEqual(
      expect.arrayContaining([
        "sequence",
        "time",
        "actorEmail",
        "action",
        "effectiveOutcome",
        "targetEmail",
        "reason",
        "hash",
      ]),
    );
    const column = (name: string) => header?.indexOf(name) ?? -1;
    // The page's cursor is not part of the export: both events come out.
    expect(records.map((record) => record[column("action")])).toEqual([
      "operator.role_changed",
      "operator.created",
    ]);
    for (const record of records) {
      expect(record[column("targetEmail")]).toBe(targetEmail);
      expect(record[column("actorEmail")]).toBe(DEMO.admin);
      expect(record[column("effectiveOutcome")]).toBe("SUCCEEDED");
      expect(record[column("hash")]).toMatch(/^[0-9a-f]{64}$/);
    }

    const ndjson = await downloadText(auditor, "Download NDJSON");
    expect(ndjson.download.suggestedFilename()).toMatch(/\.ndjson$/);
    const lines = ndjson.text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as EventJson);
    expect(lines.map((line) => line.sequence)).toEqual(records.map((record) => record[column("sequence")]));
    expect(lines.every((line) => line.targetEmail === targetEmail)).toBe(true);
    expect(lines[0]?.details).toEqual({ previousRole: "AUDITOR", newRole: "SUPPORT" });

    // Both exports are in the log: by this auditor, succeeded, with format and row count.
    const exports = await getEvents(
      auditor.request,
      `action=audit.exported&actor=${encodeURIComponent(auditorEmail)}`,
    );
    expect(exports.events.map((event) => [event.effectiveOutcome, event.resolution?.details])).toEqual([
      ["SUCCEEDED", { format: "ndjson", rowCount: 2 }],
      ["SUCCEEDED", { format: "csv", rowCount: 2 }],
    ]);
    await auditor.goto(`/audit?action=audit.exported&actor=${encodeURIComponent(auditorEmail)}`);
    await expect(rowsOf(auditor)).toHaveCount(2);
    await expect(rowsOf(auditor).first()).toContainText("Audit log exported");
  });

  test("the export endpoint validates its parameters", async ({ page }) => {
    await signIn(page, DEMO.auditor);
    const badFormat = await page.request.get("/api/audit/export?format=xlsx");
    expect(badFormat.status()).toBe(400);
    expect(await badFormat.json()).toMatchObject({ error: { parameter: "format" } });
    const badDate = await page.request.get("/api/audit/export?format=csv&from=2025-02-30");
    expect(badDate.status()).toBe(400);
    expect(await badDate.json()).toMatchObject({ error: { parameter: "from" } });
  });
});
