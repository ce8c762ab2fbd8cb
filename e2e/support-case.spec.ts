import type { Browser, Page } from "@playwright/test";
import { DEMO, expect, expectAccessible, signIn, test, testPassword, uniqueEmail } from "./support/fixtures";
import { openCaseTenant, profileUrl, type CaseTenant } from "./support/support-case-tenant";
import { findSeededUser } from "./support/tenant";

/**
 * Issue 14, the read side of a support case, in Chromium against the local tenant: the sign-in
 * diagnosis for locked, admin-blocked, social-only, unverified and healthy users; a reset email
 * completed on the hosted page shows as used, with the password change in the timeline; a second
 * email marks the first superseded. Each test makes its own users; sign-in logs come from the
 * tenant's password grant, as an app's sign-ins would.
 */

let tenant: CaseTenant;
test.beforeAll(async () => {
  tenant = await openCaseTenant();
});
test.afterAll(async () => {
  await tenant.dispose();
});

function diagnosis(page: Page) {
  return page.getByRole("region", { name: "Why can’t they sign in?" });
}

async function openProfile(page: Page, userId: string) {
  await page.goto(profileUrl(userId));
  await expect(diagnosis(page)).toBeVisible();
}

test.describe("support case: sign-in diagnosis", () => {
  test("a user after 10 wrong passwords is locked: when, how many, from which IP, and what lifts it", async ({ page }) => {
    const email = uniqueEmail("case-locked");
    const password = testPassword();
    const userId = await tenant.createUser(email, { password });
    for (let i = 0; i < 10; i++) expect(await tenant.signIn(email, `${password}-wrong`)).toBe(403);
    expect(await tenant.signIn(email, password)).toBe(429);

    await signIn(page, DEMO.support);
    await openProfile(page, userId);
    const panel = diagnosis(page);
    await expect(panel).toHaveAttribute("data-cause", "brute_force_locked");
    await expect(panel).toHaveAttribute("data-fix-action", "unblock");
    await expect(panel).toContainText("Locked by brute-force protection after too many wrong passwords in a row.");
    await expect(panel).toContainText("10 wrong passwords in a row before the lock.");
    await expect(panel).toContainText(/Locked for sign-ins from [0-9a-f.:]+; other IPs are not locked\./);
    await expect(panel).toContainText("Locked at ");
    await expect(panel).toContainText("changing the password also lifts the lock");
    // The timeline tells the same story from the tenant's logs.
    const timeline = page.getByRole("region", { name: "Sign-in timeline" });
    await expect(timeline.getByRole("row", { name: /Account blocked \(too many wrong passwords\)/ }).first()).toBeVisible();
    await expect(timeline.getByRole("row", { name: /Wrong password/ })).toHaveCount(10);
    await expect(timeline.getByRole("row", { name: /Wrong password/ }).first()).toContainText("App: Passdesk Demo");
    await expect(timeline.getByRole("row", { name: /Wrong password/ }).first()).toContainText("Connection: Username-Password-Authentication");
    await expectAccessible(page);
  });

  test("an admin-blocked user", async ({ page }) => {
    const userId = await tenant.createUser(uniqueEmail("case-blocked"), { blocked: true });
    await signIn(page, DEMO.support);
    await openProfile(page, userId);
    await expect(diagnosis(page)).toHaveAttribute("data-cause", "admin_blocked");
    await expect(diagnosis(page)).toContainText("An administrator blocked this account");
  });

  test("a social-only user: the provider is named", async ({ page }) => {
    const social = await findSeededUser("google-oauth2|");
    await signIn(page, DEMO.support);
    await openProfile(page, social.userId);
    await expect(diagnosis(page)).toHaveAttribute("data-cause", "external_only");
    await expect(diagnosis(page)).toContainText("This user signs in through google-oauth2");
  });

  test("an unverified user", async ({ page }) => {
    const email = uniqueEmail("case-unverified");
    const userId = await tenant.createUser(email, { verified: false });
    await signIn(page, DEMO.support);
    await openProfile(page, userId);
    await expect(diagnosis(page)).toHaveAttribute("data-cause", "email_unverified");
    await expect(diagnosis(page)).toHaveAttribute("data-fix-action", "resend_verification");
    await expect(diagnosis(page)).toContainText(`the email address ${email} is not verified`);
  });

  test("a healthy user who signed in: no recent failures, ask which app and which email", async ({ page }) => {
    const email = uniqueEmail("case-healthy");
    const password = testPassword();
    const userId = await tenant.createUser(email, { password });
    expect(await tenant.signIn(email, password)).toBe(200);
    await signIn(page, DEMO.auditor);
    await openProfile(page, userId);
    await expect(diagnosis(page)).toHaveAttribute("data-cause", "no_recent_failures");
    await expect(diagnosis(page)).toContainText("No failed sign-ins in the recent logs.");
    await expect(diagnosis(page)).toContainText("which app they are signing in to and which email address they type");
    await expect(page.getByRole("region", { name: "Sign-in timeline" }).getByRole("row", { name: /Login succeeded/ })).toHaveCount(1);
  });

  test("three wrong passwords on a phone (390×844): recent wrong passwords, fixed by a reset", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const email = uniqueEmail("case-typo");
    const password = testPassword();
    const userId = await tenant.createUser(email, { password });
    for (let i = 0; i < 3; i++) expect(await tenant.signIn(email, `${password}-typo`)).toBe(403);
    await signIn(page, DEMO.support);
    await openProfile(page, userId);
    await expect(diagnosis(page)).toHaveAttribute("data-cause", "wrong_password");
    await expect(diagnosis(page)).toContainText("3 wrong passwords recently");
    await expectAccessible(page);
  });
});

async function endUserPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  return context.newPage();
}

async function sendResetEmail(page: Page, reason: string) {
  await page.getByRole("region", { name: "Danger Zone" }).getByRole("button", { name: "Send email" }).click();
  const dialog = page.getByRole("dialog", { name: "Send password reset email" });
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Continue" }).click();
  await dialog.getByRole("button", { name: "Send reset email" }).click();
  const done = page.getByRole("dialog", { name: "Reset email sent" });
  await done.getByRole("button", { name: "Close" }).click();
}

// The reset test follows links of the tenant-wide reset flow; keep its steps in order.
test.describe("support case: reset status and timeline", () => {
  test("a second email supersedes the first; the newest, completed on the hosted page, shows as used with the password change in the timeline", async ({
    page,
    browser,
  }) => {
    const email = uniqueEmail("case-reset");
    const userId = await tenant.createUser(email);
    await signIn(page, DEMO.support);
    await openProfile(page, userId);
    const resets = page.getByRole("region", { name: "Reset emails and links" });
    await expect(resets).toContainText("Passdesk has not sent this user a reset email or link.");

    await sendResetEmail(page, "INC-14 first email");
    await expect.poll(async () => (await tenant.outbox(email)).length).toBe(1);
    await page.reload();
    await expect(resets.getByTestId("reset-status-item")).toHaveCount(1);
    await expect(resets.getByTestId("reset-status-item").first()).toHaveAttribute("data-state", "waiting");
    await expect(resets).toContainText("Not used yet. It works until");

    await sendResetEmail(page, "INC-14 second email");
    await expect.poll(async () => (await tenant.outbox(email)).length).toBe(2);
    await page.reload();
    const items = resets.getByTestId("reset-status-item");
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toHaveAttribute("data-state", "waiting");
    await expect(items.nth(1)).toHaveAttribute("data-state", "superseded");
    await expect(items.nth(1)).toContainText("Superseded");
    await expect(items.nth(1)).toContainText("only the newest one works");

    const newest = (await tenant.outbox(email))[0]?.resetLink ?? "";
    const endUser = await endUserPage(browser);
    await endUser.goto(newest);
    const chosen = testPassword();
    await endUser.getByLabel("New password", { exact: true }).fill(chosen);
    await endUser.getByLabel("Confirm new password").fill(chosen);
    await endUser.getByRole("button", { name: "Reset password" }).click();
    await expect(endUser.getByText("Your password has been changed.")).toBeVisible();
    await endUser.context().close();
    expect(await tenant.signIn(email, chosen)).toBe(200);

    await page.reload();
    await expect(items.nth(0)).toHaveAttribute("data-state", "used");
    await expect(items.nth(0)).toContainText("Used");
    await expect(items.nth(0)).toContainText("The password was changed at");
    await expect(items.nth(1)).toHaveAttribute("data-state", "superseded");

    // One story: reset emails sent (Passdesk, by the operator) → password changed → login OK.
    const rows = page.getByRole("region", { name: "Sign-in timeline" }).getByTestId("timeline-entry");
    await expect(rows.nth(0)).toHaveAttribute("data-type", "s");
    await expect(rows.nth(0)).toContainText("Login succeeded");
    await expect(rows.nth(1)).toHaveAttribute("data-type", "scp");
    await expect(rows.nth(1)).toContainText("Password changed");
    const audits = page.getByRole("region", { name: "Sign-in timeline" }).locator('[data-kind="audit"]');
    await expect(audits).toHaveCount(2);
    await expect(audits.first()).toContainText("Reset email sent");
    await expect(audits.first()).toContainText(`by ${DEMO.support}`);
    await expect(audits.first()).toContainText("Reason: INC-14 second email");
  });

  test("another support operator sees the colleague's reset email on the profile", async ({ page, browser }) => {
    const email = uniqueEmail("case-colleague");
    const userId = await tenant.createUser(email);
    // The admin sends it; support opens the profile afterwards.
    await signIn(page, DEMO.admin);
    await openProfile(page, userId);
    await sendResetEmail(page, "INC-15 sent by the admin");
    await expect.poll(async () => (await tenant.outbox(email)).length).toBe(1);

    const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.18.250.7" } });
    const support = await context.newPage();
    await signIn(support, DEMO.support);
    await openProfile(support, userId);
    const resets = support.getByRole("region", { name: "Reset emails and links" });
    await expect(resets.getByTestId("reset-status-item")).toHaveCount(1);
    await expect(resets).toContainText(`sent by ${DEMO.admin}`);
    await expect(support.getByRole("region", { name: "Sign-in timeline" }).locator('[data-kind="audit"]').first()).toContainText(`by ${DEMO.admin}`);
    await context.close();
  });
});
