import { DEMO, expect, expectAccessible, signIn, test } from "./support/fixtures";
import type { Page } from "@playwright/test";

/**
 * Issue 15 items 1–2 in Chromium: "Sign in with …" through the local tenant as the identity
 * provider (authorization code with PKCE, state and nonce; demo role mapping
 * admin=passdesk-admins, support=helpdesk, auditor=auditors on the claim
 * https://passdesk.dev/roles; staff directory in tenant/README.md). The browser visits the
 * tenant's self-signed HTTPS, so it ignores certificate errors; the app's server side verifies
 * the tenant's certificate against its CA.
 */
test.use({ ignoreHTTPSErrors: true });

const SSO_BUTTON = "Sign in with Passdesk Staff (demo IdP)";
const STAFF_PASSWORD = "Passdesk-Seed-1!";
const TENANT_PORT = process.env.E2E_TENANT_PORT ?? "4543";

/** From Passdesk's sign-in page through the hosted login page, by keyboard on the IdP's form. */
async function ssoSignIn(page: Page, email: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: SSO_BUTTON }).click();
  await page.waitForURL((url) => url.port === TENANT_PORT && url.pathname === "/authorize");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(STAFF_PASSWORD);
  await page.getByLabel("Password").press("Enter");
}

async function expectRefused(page: Page, message: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.has("error"));
  // Next's route announcer is an alert too: find ours by its text.
  await expect(page.getByRole("alert").filter({ hasText: message })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Account menu:/ })).toHaveCount(0);
}

test.describe("single sign-on with the local tenant as IdP", () => {
  test("the sign-in page offers the IdP beside the password form, accessibly, at both sizes", async ({ page }) => {
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await page.goto("/sign-in");
      await expect(page.getByRole("button", { name: SSO_BUTTON })).toBeVisible();
      await expect(page.getByLabel("Password")).toBeVisible();
      await expectAccessible(page);
    }
    await page.getByLabel("Language").selectOption("ja");
    await expect(page.getByRole("button", { name: "Passdesk Staff (demo IdP) でサインイン" })).toBeVisible();
  });

  test("a demo operator signs in through the IdP with their mapped role", async ({ page }) => {
    await ssoSignIn(page, DEMO.auditor);
    await page.waitForURL((url) => url.pathname === "/users");
    await expect(page.getByRole("button", { name: /^Account menu:/ })).toHaveAccessibleName("Account menu: Demo Auditor Auditor");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Operators" })).toHaveCount(0);
  });

  test("a newcomer in a mapped IdP group is created with that role on first sign-in", async ({ page }) => {
    await ssoSignIn(page, "newhire@passdesk.test");
    await page.waitForURL((url) => url.pathname === "/users");
    await expect(page.getByRole("button", { name: /^Account menu:/ })).toHaveAccessibleName("Account menu: New Hire Support");
  });

  test("an IdP user unknown to Passdesk and in no mapped group is refused with a clear message", async ({ page }) => {
    await ssoSignIn(page, "stranger@passdesk.test");
    await expectRefused(page, "Your identity provider account is in no group that gives access to Passdesk. Ask your administrator.");
  });

  test("an IdP user whose email is not verified is refused with a clear message, in Japanese too", async ({ page }) => {
    await ssoSignIn(page, "unverified@passdesk.test");
    await expectRefused(
      page,
      "Your identity provider has not verified your email address, so Passdesk cannot match it to an operator. Verify your email there, then try again.",
    );
    await page.getByLabel("Language").selectOption("ja");
    await expect(
      page.getByRole("alert").filter({
        hasText:
          "ID プロバイダーでメールアドレスが確認されていないため、Passdesk のオペレーターと照合できません。ID プロバイダーでメールアドレスを確認してから、もう一度お試しください。",
      }),
    ).toBeVisible();
  });

  test("a disabled operator is refused even after a valid IdP sign-in", async ({ page, browser }) => {
    // First sign-in creates former@passdesk.test (group helpdesk → Support).
    await ssoSignIn(page, "former@passdesk.test");
    await page.waitForURL((url) => url.pathname === "/users");

    const adminPage = await (await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.19.7.1" } })).newPage();
    await signIn(adminPage, DEMO.admin);
    await adminPage.goto("/operators");
    const row = adminPage.getByRole("row", { name: /former@passdesk\.test/ });
    adminPage.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row.getByRole("cell", { name: "Disabled", exact: true })).toBeVisible();

    // The session ended; the IdP still signs the person in (its SSO cookie), Passdesk refuses.
    await page.reload();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByRole("button", { name: SSO_BUTTON }).click();
    await expectRefused(page, "This Passdesk operator account is disabled. Ask a Passdesk admin.");
  });

  test("the IdP's login page follows Passdesk's language", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Language").selectOption("ja");
    await page.getByRole("button", { name: "Passdesk Staff (demo IdP) でサインイン" }).click();
    await page.waitForURL((url) => url.port === TENANT_PORT && url.pathname === "/authorize");
    await expect(page.getByRole("heading", { name: "ログイン" })).toBeVisible();
    await page.getByLabel("メールアドレス").fill(DEMO.admin);
    await page.getByLabel("パスワード").fill(STAFF_PASSWORD);
    await page.getByRole("button", { name: "続行" }).click();
    await page.waitForURL((url) => url.pathname === "/users");
    await expectAccessible(page);
  });

  test("a wrong password stays on the IdP's login page with its message", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByRole("button", { name: SSO_BUTTON }).click();
    await page.waitForURL((url) => url.port === TENANT_PORT);
    await page.getByLabel("Email address").fill(DEMO.support);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");
    await page.getByLabel("Password").fill(STAFF_PASSWORD);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL((url) => url.pathname === "/users");
    await expect(page.getByRole("button", { name: /^Account menu:/ })).toHaveAccessibleName("Account menu: Demo Support Support");
  });
});
