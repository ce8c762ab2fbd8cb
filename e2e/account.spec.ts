import { request, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO, expect, expectAccessible, signIn, test, testPassword, uniqueEmail } from "./support/fixtures";
import { DATABASE_CONNECTION, tenantClient } from "./support/tenant";

/**
 * The Account section end to end (production build, local tenant, Chromium): each action is
 * proven at the tenant (password grant, refresh grant, enrolled methods) and in the audit log.
 */

const TENANT_PORT = Number(process.env.E2E_TENANT_PORT ?? 4543);
const PUBLIC_CLIENT_ID = "passdesk-demo-reset-app";

let tenant: APIRequestContext;
test.beforeAll(async () => {
  tenant = await request.newContext({ baseURL: `https://localhost:${TENANT_PORT}`, ignoreHTTPSErrors: true });
});
test.afterAll(async () => {
  await tenant.dispose();
});

async function createUser(email: string, password: string): Promise<string> {
  const created = await tenantClient().users.create({
    connection: DATABASE_CONNECTION,
    email,
    password,
    email_verified: true,
    name: `E2E ${email.split("@")[0]}`,
  });
  return created.user_id ?? "";
}

/** The tenant's password-realm grant (a public app, from this machine's IP). */
async function passwordGrant(email: string, password: string, scope = "openid"): Promise<{ status: number; refreshToken?: string }> {
  const response = await tenant.post("/oauth/token", {
    data: {
      grant_type: "http://auth0.com/oauth/grant-type/password-realm",
      client_id: PUBLIC_CLIENT_ID,
      username: email,
      password,
      realm: DATABASE_CONNECTION,
      scope,
    },
  });
  const body = (await response.json()) as { refresh_token?: string };
  return { status: response.status(), ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}) };
}

async function refreshGrant(refreshToken: string): Promise<number> {
  const response = await tenant.post("/oauth/token", {
    data: { grant_type: "refresh_token", client_id: PUBLIC_CLIENT_ID, refresh_token: refreshToken },
  });
  return response.status();
}

function accountSection(page: Page) {
  return page.getByRole("region", { name: "Account" });
}

function auditRows(page: Page) {
  return page.getByRole("table", { name: "Audit events, newest first" }).locator("tbody tr");
}

/** Reason → Continue → confirm in an account dialog; returns the result dialog. */
async function runAccountDialog(page: Page, options: { title: string; reason: string; confirm: string; done: string }) {
  const dialog = page.getByRole("dialog", { name: options.title });
  await dialog.getByLabel("Reason").fill(options.reason);
  await dialog.getByRole("button", { name: "Continue" }).click();
  await dialog.getByRole("button", { name: options.confirm }).click();
  const done = page.getByRole("dialog", { name: options.done });
  await expect(done).toBeVisible();
  return done;
}

test.describe("account actions", () => {
  test("a user locked after 10 failed sign-ins is unblocked by support; the right password then works; the audit shows it", async ({
    page,
  }) => {
    const email = uniqueEmail("acct-lock");
    const password = testPassword();
    const userId = await createUser(email, password);
    for (let attempt = 0; attempt < 10; attempt++) expect((await passwordGrant(email, `${password}-wrong`)).status).toBe(403);
    expect((await passwordGrant(email, password)).status).toBe(429);

    const reason = `INC-${Date.now()} caller verified, locked out`;
    await signIn(page, DEMO.support);
    await page.goto(`/users/${encodeURIComponent(userId)}`);
    await accountSection(page).getByRole("button", { name: "Unblock" }).click();
    await expect(page.getByRole("dialog", { name: "Lift the brute-force lock" })).toBeVisible();
    await expectAccessible(page);
    const done = await runAccountDialog(page, {
      title: "Lift the brute-force lock",
      reason,
      confirm: "Lift lock",
      done: "Lock lifted",
    });
    await expect(done.getByRole("status")).toContainText("1 lock lifted");
    await done.getByRole("button", { name: "Close" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    expect((await passwordGrant(email, password)).status).toBe(200);

    await page.goto(`/audit?target=${encodeURIComponent(email)}`);
    await expect(auditRows(page)).toHaveCount(1);
    await expect(auditRows(page).nth(0)).toContainText("Brute-force lock lifted");
    await expect(auditRows(page).nth(0)).toContainText(reason);
    await expect(auditRows(page).nth(0)).toContainText("Succeeded");
  });

  test("sign out everywhere ends the sessions and the refresh token stops working at the tenant", async ({ page }) => {
    const email = uniqueEmail("acct-signout");
    const password = testPassword();
    const userId = await createUser(email, password);
    const login = await passwordGrant(email, password, "openid offline_access");
    expect(login.status).toBe(200);
    const refreshToken = login.refreshToken ?? "";
    expect(await refreshGrant(refreshToken)).toBe(200);

    await signIn(page, DEMO.support);
    await page.goto(`/users/${encodeURIComponent(userId)}`);
    await accountSection(page).getByRole("button", { name: "Sign out everywhere" }).click();
    const done = await runAccountDialog(page, {
      title: "Sign out everywhere",
      reason: `INC-${Date.now()} account takeover`,
      confirm: "Sign out everywhere",
      done: "Signed out everywhere",
    });
    await expect(done.getByRole("status")).toContainText("1 session ended, 1 refresh token revoked");
    await done.getByRole("button", { name: "Close" }).click();

    expect(await refreshGrant(refreshToken)).toBe(403);
  });

  test("reset MFA lists the enrolled methods, removes one, then all (at the tenant)", async ({ page }) => {
    // A seeded database user with at least two methods (the seed enrols TOTP + SMS for some),
    // from a later page than other specs look at; never the MFA demo user.
    const countMethodsOf = async (id: string) =>
      (await tenantClient().users.authenticationMethods.list(id, { page: 0, per_page: 100 })).data.length;
    let userId = "";
    for (let page = 5; page < 15 && userId === ""; page++) {
      const users = await tenantClient().users.list({
        q: `identities.connection:"${DATABASE_CONNECTION}"`,
        search_engine: "v3",
        per_page: 100,
        page,
      });
      for (const user of users.data) {
        if (user.email === "alice.demo@example.com" || !user.user_id) continue;
        if ((await countMethodsOf(user.user_id)) >= 2) {
          userId = user.user_id;
          break;
        }
      }
    }
    expect(userId).not.toBe("");
    const countMethods = () => countMethodsOf(userId);
    const before = await countMethods();

    await signIn(page, DEMO.support);
    await page.goto(`/users/${encodeURIComponent(userId)}`);
    await accountSection(page).getByRole("button", { name: "Reset MFA" }).click();
    const dialog = page.getByRole("dialog", { name: "Reset MFA" });
    const list = dialog.getByRole("list", { name: "Enrolled methods" });
    await expect(list.getByRole("listitem")).toHaveCount(before);
    await expect(list).toContainText("Authenticator app");
    await list.getByRole("button", { name: /^Remove Authenticator app/ }).click();
    let done = await runAccountDialog(page, {
      title: "Reset MFA",
      reason: `INC-${Date.now()} lost phone`,
      confirm: "Remove",
      done: "MFA reset",
    });
    await expect(done.getByRole("status")).toContainText("1 method removed");
    await done.getByRole("button", { name: "Close" }).click();
    await expect.poll(countMethods).toBeLessThan(before);

    await accountSection(page).getByRole("button", { name: "Reset MFA" }).click();
    await expect(dialog.getByRole("list", { name: "Enrolled methods" }).getByRole("listitem")).not.toHaveCount(0);
    await dialog.getByRole("button", { name: "Remove all" }).click();
    done = await runAccountDialog(page, {
      title: "Reset MFA",
      reason: `INC-${Date.now()} lost everything`,
      confirm: "Remove",
      done: "MFA reset",
    });
    await done.getByRole("button", { name: "Close" }).click();
    expect(await countMethods()).toBe(0);
  });

  test("an admin blocks (sign-in refused); support sees no Block button but lifts the block; an auditor sees no Account section", async ({
    browser,
    page,
  }) => {
    const email = uniqueEmail("acct-block");
    const password = testPassword();
    const userId = await createUser(email, password);
    const profile = `/users/${encodeURIComponent(userId)}`;

    await signIn(page, DEMO.admin);
    await page.goto(profile);
    await accountSection(page).getByRole("button", { name: "Block", exact: true }).click();
    const blocked = await runAccountDialog(page, {
      title: "Block this user",
      reason: `INC-${Date.now()} suspected takeover`,
      confirm: "Block user",
      done: "User blocked",
    });
    await blocked.getByRole("button", { name: "Close" }).click();
    expect((await passwordGrant(email, password)).status).toBe(401);

    const support = await browser.newPage();
    await signIn(support, DEMO.support);
    await support.goto(profile);
    await expect(accountSection(support)).toContainText("An admin blocked this user");
    await expect(accountSection(support).getByRole("button", { name: "Block", exact: true })).toHaveCount(0);
    await accountSection(support).getByRole("button", { name: "Lift block" }).click();
    const lifted = await runAccountDialog(support, {
      title: "Lift the admin block",
      reason: `INC-${Date.now()} owner confirmed`,
      confirm: "Lift block",
      done: "Block lifted",
    });
    await lifted.getByRole("button", { name: "Close" }).click();
    expect((await passwordGrant(email, password)).status).toBe(200);
    await support.close();

    const auditor = await browser.newPage();
    await signIn(auditor, DEMO.auditor);
    await auditor.goto(profile);
    await expect(auditor.getByRole("heading", { name: `E2E ${email.split("@")[0]}` })).toBeVisible();
    await expect(accountSection(auditor)).toHaveCount(0);
    await auditor.close();
  });

  test("the Change password dialog signs the user out everywhere by default and shows the counts", async ({ page }) => {
    const email = uniqueEmail("acct-setso");
    const password = testPassword();
    const userId = await createUser(email, password);
    const login = await passwordGrant(email, password, "openid offline_access");
    const refreshToken = login.refreshToken ?? "";

    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, DEMO.support);
    await page.goto(`/users/${encodeURIComponent(userId)}`);
    await page.getByRole("region", { name: "Danger Zone" }).getByRole("button", { name: "Change" }).click();
    const dialog = page.getByRole("dialog", { name: "Change password" });
    const newPassword = testPassword();
    await dialog.getByLabel("New password", { exact: true }).fill(newPassword);
    await dialog.getByLabel("Confirm new password", { exact: true }).fill(newPassword);
    await dialog.getByLabel("Reason").fill(`INC-${Date.now()} takeover`);
    await expect(dialog.getByLabel("Also sign the user out everywhere")).toBeChecked();
    await dialog.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("dialog", { name: "Confirm password change" }).getByRole("button", { name: "Change password" }).click();
    const done = page.getByRole("dialog", { name: "Password changed" });
    await expect(done.getByRole("status")).toContainText("1 refresh token revoked");
    await done.getByRole("button", { name: "Close" }).click();
    expect(await refreshGrant(refreshToken)).toBe(403);
  });

  test("sign out everywhere works with the keyboard alone on a phone-sized screen", async ({ page }) => {
    const email = uniqueEmail("acct-keys");
    const password = testPassword();
    const userId = await createUser(email, password);
    const login = await passwordGrant(email, password, "openid offline_access");
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, DEMO.support);
    await page.goto(`/users/${encodeURIComponent(userId)}`);
    const trigger = accountSection(page).getByRole("button", { name: "Sign out everywhere" });
    await trigger.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Sign out everywhere" });
    await expect(dialog.getByLabel("Reason")).toBeFocused();
    await page.keyboard.type("INC-9 keyboard only");
    await page.keyboard.press("Tab"); // Cancel
    await page.keyboard.press("Tab"); // Continue
    await expect(dialog.getByRole("button", { name: "Continue" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(dialog.getByRole("button", { name: "Sign out everywhere" })).toBeFocused();
    await page.keyboard.press("Enter");
    const done = page.getByRole("dialog", { name: "Signed out everywhere" });
    await expect(done.getByRole("button", { name: "Close" })).toBeFocused();
    await expect(done.getByRole("status")).toContainText("1 refresh token revoked");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    expect(await refreshGrant(login.refreshToken ?? "")).toBe(403);
  });
});
