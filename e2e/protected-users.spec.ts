import type { Browser, Page } from "@playwright/test";
import {
  DEMO,
  expect,
  expectAccessible,
  signIn,
  test,
  testPassword,
  uniqueEmail,
  uniqueTestIp,
} from "./support/fixtures";
import { openCaseTenant, type CaseTenant } from "./support/support-case-tenant";
import { deleteTestUsers, DATABASE_CONNECTION, tenantClient, type TestUser } from "./support/tenant";

/**
 * Four-eyes for password actions on protected users (the e2e server's PROTECTED_USERS_QUERY is
 * app_metadata.roles:"admin"): production build, local tenant, real Chromium. Each test creates
 * its own protected user and proves the outcome at the tenant (password grant, outbox).
 */

const created: TestUser[] = [];
let tenant: CaseTenant;

test.beforeAll(async () => {
  tenant = await openCaseTenant();
});

test.afterAll(async () => {
  await deleteTestUsers(created);
  await tenant.dispose();
});

async function protectedUser(prefix: string, password: string): Promise<TestUser> {
  const email = uniqueEmail(prefix);
  const name = `Protected ${prefix}`;
  const user = await tenantClient().users.create({
    connection: DATABASE_CONNECTION,
    email,
    password,
    name,
    email_verified: true,
    app_metadata: { roles: ["admin"] },
  });
  const entry = { userId: user.user_id ?? "", email: email.toLowerCase(), name };
  created.push(entry);
  return entry;
}

/** A second person at another browser, signed in as `email`. */
async function otherOperator(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": uniqueTestIp() } });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

function dangerZone(page: Page, name = "Danger Zone") {
  return page.getByRole("region", { name });
}

async function changePassword(page: Page, user: TestUser, password: string, reason: string) {
  await page.goto(`/users/${encodeURIComponent(user.userId)}`);
  await dangerZone(page).getByRole("button", { name: "Change" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("New password", { exact: true }).fill(password);
  await dialog.getByLabel("Confirm new password", { exact: true }).fill(password);
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Continue" }).click();
  await page
    .getByRole("dialog", { name: "Confirm password change" })
    .getByRole("button", { name: "Change password" })
    .click();
}

function approvalCard(page: Page, user: TestUser) {
  return page
    .getByRole("article")
    .filter({ has: page.getByRole("heading", { name: new RegExp(user.name) }) });
}

test("support asks, another admin approves, support sets the password once: the new one works at the tenant, the old one not", async ({
  page,
  browser,
}) => {
  const oldPassword = testPassword();
  const newPassword = testPassword();
  const user = await protectedUser("pu-set", oldPassword);
  const reason = `INC-${Date.now()} admin locked out, identity checked by video call`;

  await signIn(page, DEMO.support);
  await changePassword(page, user, newPassword, reason);
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("Approval needed", { exact: true })).toBeVisible();
  await expect(dialog).toContainText("another admin must approve this action");
  await expect(dialog).toContainText(
    `Set a new password for ${user.name}, typed by the requester after the approval, then sign them out everywhere.`,
  );
  await expect(dialog).toContainText(reason);
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Request approval" }).click();
  await expect(dialog.getByRole("status")).toContainText("Request sent");
  // Nothing happened at the tenant.
  expect(await tenant.canSignIn(user.email, oldPassword)).toBe(true);
  expect(await tenant.canSignIn(user.email, newPassword)).toBe(false);

  await page.goto("/approvals");
  const mine = page.getByRole("region", { name: "My requests" });
  await expect(approvalCard(page, user).getByTestId("approval-status")).toContainText("Awaiting approval");
  await expect(mine).toContainText(reason);
  // Support has no decision to make here.
  await expect(page.getByRole("heading", { name: "Waiting for a decision" })).toHaveCount(0);

  const admin = await otherOperator(browser, DEMO.admin);
  await admin.goto("/approvals");
  const waiting = approvalCard(admin, user);
  await expect(waiting).toContainText(DEMO.support);
  await expect(waiting).toContainText("then sign them out everywhere");
  await waiting.getByLabel("Reason for the decision").fill("Called the admin back on the desk phone");
  await waiting.getByRole("button", { name: "Approve" }).click();
  await expect(approvalCard(admin, user)).toHaveCount(0);
  // The approver cannot use the approval: the same dialog still asks for one.
  await changePassword(admin, user, testPassword(), "Approver tries it himself");
  await expect(admin.getByRole("dialog").getByText("Approval needed", { exact: true })).toBeVisible();
  await admin.context().close();

  await page.goto("/approvals");
  await expect(approvalCard(page, user).getByTestId("approval-status")).toContainText(
    "Approved: ready to use",
  );
  await expect(approvalCard(page, user)).toContainText("Called the admin back on the desk phone");
  await changePassword(page, user, newPassword, reason);
  await expect(page.getByRole("dialog", { name: "Password changed" })).toBeVisible();
  expect(await tenant.canSignIn(user.email, newPassword)).toBe(true);
  expect(await tenant.canSignIn(user.email, oldPassword)).toBe(false);

  // Used once: a second change needs a new approval.
  await page.goto("/approvals");
  await expect(approvalCard(page, user).getByTestId("approval-status")).toContainText("Done");
  await changePassword(page, user, testPassword(), reason);
  await expect(page.getByRole("dialog").getByText("Approval needed", { exact: true })).toBeVisible();
  expect(await tenant.canSignIn(user.email, newPassword)).toBe(true);
});

test("in Japanese at 390×844: an admin's own request waits for someone else, and no email goes out", async ({
  page,
  context,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const user = await protectedUser("pu-ja", testPassword());
  await signIn(page, DEMO.admin);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "ja", url: page.url() }]);
  await page.goto(`/users/${encodeURIComponent(user.userId)}`);
  await dangerZone(page, "危険な操作").getByRole("button", { name: "メールを送信" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("理由").fill("INC-77 管理者アカウントの復旧");
  await dialog.getByRole("button", { name: "次へ" }).click();
  await dialog.getByRole("button", { name: "リセットメールを送信" }).click();
  await expect(dialog.getByText("承認が必要です", { exact: true })).toBeVisible();
  await expect(dialog).toContainText(`${user.name} さんに Auth0 のパスワード再設定メールを送信します。`);
  // The dialog fits the phone's width (the profile page behind it is not this spec's subject).
  const box = await dialog.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  await expectAccessible(page);
  // By keyboard: the request button has the focus when the step opens.
  await expect(dialog.getByRole("button", { name: "承認を申請" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog.getByRole("status")).toContainText("申請しました");
  expect(await tenant.outbox(user.email)).toHaveLength(0);

  await page.goto("/approvals");
  await expect(page.getByRole("heading", { name: "承認", level: 1 })).toBeVisible();
  const own = page
    .getByRole("region", { name: "承認待ち" })
    .getByRole("article")
    .filter({ has: page.getByRole("heading", { name: new RegExp(user.name) }) });
  await expect(own).toContainText("自分の申請です。別の管理者が判断する必要があります。");
  await expect(own.getByRole("button", { name: "承認" })).toHaveCount(0);
  const pageOverflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(pageOverflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);
});
