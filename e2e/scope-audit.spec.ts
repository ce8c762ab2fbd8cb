import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { newSignedInPage } from "./support/bulk-ui";
import { DEMO, expect, expectAccessible, signIn, test } from "./support/fixtures";
import { createRegionUser, deleteTestUsers, regionOf, uniqueMarker, type TestUser } from "./support/tenant";

/**
 * Scoped operators (issue 16, item 4) and the audit log: an EU-scoped auditor's /audit and CSV
 * export hold an EU user's events and not a US user's; an unscoped auditor can filter the log
 * to the users within another operator's scope. Who is EU or US comes from the tenant
 * (app_metadata.region as stored), the events from support's Danger Zone, as people make them.
 */

/** Support sends one reset email through the profile's Danger Zone. */
async function sendResetEmail(page: Page, user: TestUser, reason: string): Promise<void> {
  await page.goto(`/users/${encodeURIComponent(user.userId)}`);
  const dangerZone = page.getByRole("region", { name: "Danger Zone" });
  await dangerZone.getByRole("button", { name: "Send email" }).click();
  const dialog = page.getByRole("dialog", { name: "Send password reset email" });
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Continue" }).click();
  await dialog.getByRole("button", { name: "Send reset email" }).click();
  await page.getByRole("dialog", { name: "Reset email sent" }).getByRole("button", { name: "Close" }).click();
}

function rowsOf(page: Page) {
  return page.getByRole("table", { name: "Audit events, newest first" }).locator("tbody tr");
}

async function filterByTarget(page: Page, target: string): Promise<void> {
  await page.getByLabel("Target").fill(target);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("target")).toBe(target);
}

async function filterByResetEmails(page: Page): Promise<void> {
  await page.getByLabel("Action").selectOption({ label: "Reset email sent" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("action")).toBe("password.reset_email");
}

async function downloadCsv(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  return readFile(await download.path(), "utf8");
}

test.describe("scoped operators: the audit log", () => {
  const created: TestUser[] = [];
  let eu: TestUser;
  let us: TestUser;

  test.beforeAll(async ({ browser }) => {
    const marker = uniqueMarker("sa");
    eu = await createRegionUser(marker, "eu");
    us = await createRegionUser(marker, "us");
    created.push(eu, us);
    expect([await regionOf(eu.userId), await regionOf(us.userId)]).toEqual(["eu", "us"]);
    const support = await newSignedInPage(browser, DEMO.support);
    await sendResetEmail(support, eu, `INC-${marker} EU caller`);
    await sendResetEmail(support, us, `INC-${marker} US caller`);
    await support.context().close();
  });

  test.afterAll(async () => {
    await deleteTestUsers(created);
  });

  test("an EU-scoped auditor's /audit and CSV export show the EU user's event and not the US user's", async ({ page }) => {
    await signIn(page, DEMO.euAuditor);
    await page.goto("/audit");
    await expect(page.getByText("Your scope limits this log")).toBeVisible();
    // The banner counts the whole log: not for a scoped reader. Nor is the scope filter.
    await expect(page.getByText(/chain intact/)).toHaveCount(0);
    await expect(page.getByLabel("Users in the scope of")).toHaveCount(0);

    await filterByTarget(page, eu.email);
    await expect(rowsOf(page)).toHaveCount(1);
    await expect(rowsOf(page).first()).toContainText("Reset email sent");
    await expect(rowsOf(page).first()).toContainText(eu.email);
    await expectAccessible(page);

    await filterByTarget(page, us.email);
    await expect(page.getByText("No events match these filters.")).toBeVisible();
    await expect(rowsOf(page)).toHaveCount(0);
    // Opened directly, the US user's event is "not found", like an event that does not exist.
    const usEvents = await page.request.get(`/api/audit/events?target=${encodeURIComponent(us.userId)}`);
    expect(((await usEvents.json()) as { events: unknown[] }).events).toEqual([]);

    // Every reset email in the log as CSV: the EU user's are in it, the US user's are not.
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("target")).toBeNull();
    await filterByResetEmails(page);
    const csv = await downloadCsv(page);
    expect(csv).toContain(eu.userId);
    expect(csv).not.toContain(us.userId);
    expect(csv).not.toContain(us.email);
  });

  test("the unscoped auditor's export holds both, and filtering by EU Support's scope keeps only the EU user", async ({ page }) => {
    await signIn(page, DEMO.auditor);
    await page.goto("/audit");
    await filterByResetEmails(page);
    const csv = await downloadCsv(page);
    expect(csv).toContain(eu.userId);
    expect(csv).toContain(us.userId);

    const scopeFilter = page.getByLabel("Users in the scope of");
    await expect(scopeFilter.getByRole("option", { name: /EU Support \(eu-support@passdesk\.test\): region eu/ })).toHaveCount(1);
    await scopeFilter.selectOption({ label: "EU Support (eu-support@passdesk.test): region eu" });
    await filterByTarget(page, eu.email);
    expect(new URL(page.url()).searchParams.get("scopeOf")).toMatch(/^[a-z0-9]+$/);
    await expect(rowsOf(page)).toHaveCount(1);
    await expect(rowsOf(page).first()).toContainText(eu.email);

    await filterByTarget(page, us.email);
    await expect(page.getByText("No events match these filters.")).toBeVisible();
    // The same filter on the export.
    const filtered = await downloadCsv(page);
    expect(filtered).not.toContain(us.userId);

    // A link naming no scoped operator is refused, not widened.
    await page.goto(`/audit?scopeOf=nosuchoperator&target=${encodeURIComponent(eu.email)}`);
    await expect(
      page.getByRole("alert").filter({ hasText: "The scope filter does not name an operator with a scope." }).first(),
    ).toBeVisible();
    await expect(rowsOf(page)).toHaveCount(0);
  });
});
