import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { DEMO, expect, expectAccessible, signIn, test, testPassword, uniqueEmail } from "./support/fixtures";
import {
  DATABASE_CONNECTION,
  openCaseTenant,
  profileUrl,
  type CaseTenant,
} from "./support/support-case-tenant";

/**
 * Danger Zone end to end: production build, local tenant, real Chromium. Every test creates its
 * own tenant user through the Management API and proves outcomes at the tenant (password grant,
 * outbox, hosted reset page, request counters), not in Passdesk's UI alone.
 */

const START_PASSWORD = testPassword();

let tenant: CaseTenant;
test.beforeAll(async () => {
  tenant = await openCaseTenant();
});
test.afterAll(async () => {
  await tenant.dispose();
});

function dangerZone(page: Page) {
  return page.getByRole("region", { name: "Danger Zone" });
}

/** Server action ids of this build (what a client would have to know to post "directly"). */
function actionIds(): Record<
  "setPasswordAction" | "sendResetEmailAction" | "createResetTicketAction",
  string
> {
  const distDir = process.env.PASSDESK_DIST_DIR || ".next";
  const manifest = JSON.parse(
    readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const ids: Record<string, string> = {};
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename === "lib/actions/passwords.ts") ids[entry.exportedName] = id;
  }
  return ids as ReturnType<typeof actionIds>;
}

/** Posts to a server action the way a hand-made client would, bypassing every browser check. */
async function postAction(page: Page, pagePath: string, actionId: string, input: unknown): Promise<string> {
  const baseURL = new URL(page.url()).origin;
  const response = await page.request.post(pagePath, {
    headers: {
      "Next-Action": actionId,
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
      Origin: baseURL,
    },
    data: JSON.stringify([input]),
  });
  return response.text();
}

/** A browser page that trusts the local tenant (hosted reset page), as the end user's browser would. */
async function endUserPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  return context.newPage();
}

async function fillChangeForm(page: Page, password: string, reason: string) {
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("New password", { exact: true }).fill(password);
  await dialog.getByLabel("Confirm new password", { exact: true }).fill(password);
  await dialog.getByLabel("Reason").fill(reason);
}

// One test briefly lowers the tenant-wide reset-link lifetime; running this file's tests one at a
// time keeps that from expiring the links of its neighbours (no other spec follows reset links).
test.describe.configure({ mode: "serial" });

test.describe("Danger Zone", () => {
  test("support sets a password: the tenant accepts the new one, rejects the old, and the audit log shows the reason", async ({
    page,
  }) => {
    const email = uniqueEmail("dz-set");
    const userId = await tenant.createUser(email, { password: START_PASSWORD });
    const newPassword = testPassword();
    const reason = `INC-${Date.now()} caller verified by callback`;

    await signIn(page, DEMO.support);
    await page.goto(profileUrl(userId));
    await expect(dangerZone(page)).toContainText(DATABASE_CONNECTION);
    await dangerZone(page).getByRole("button", { name: "Change" }).click();
    const dialog = page.getByRole("dialog", { name: "Change password" });
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await fillChangeForm(page, newPassword, reason);
    await expect(dialog.getByText("At least 8 characters")).toBeVisible();
    await dialog.getByRole("button", { name: "Continue" }).click();

    const confirm = page.getByRole("dialog", { name: "Confirm password change" });
    await expect(confirm).toContainText(email);
    await expect(confirm).toContainText("sessions end");
    await expect(confirm).toContainText("does not notify the user");
    await expect(confirm).toContainText("block is lifted");
    await expectAccessible(page);
    await confirm.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("dialog", { name: "Password changed" })).toBeVisible();
    await page.getByRole("button", { name: "Close" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    expect(await tenant.canSignIn(email, newPassword)).toBe(true);
    expect(await tenant.canSignIn(email, START_PASSWORD)).toBe(false);

    await page.goto(`/audit?target=${encodeURIComponent(email)}`);
    await expect(page.getByText(reason).first()).toBeVisible();
    // Nothing on the audit page (or in its data) contains the password.
    expect(await page.content()).not.toContain(newPassword);
  });

  test("Generate fills a policy-compliant password with a copy button, and the password is gone after closing", async ({
    page,
  }) => {
    const email = uniqueEmail("dz-gen");
    const userId = await tenant.createUser(email, { password: START_PASSWORD });
    await signIn(page, DEMO.admin);
    await page.goto(profileUrl(userId));
    await dangerZone(page).getByRole("button", { name: "Change" }).click();
    const dialog = page.getByRole("dialog", { name: "Change password" });
    await dialog.getByRole("button", { name: "Generate" }).click();
    const generated = await dialog.getByLabel("New password", { exact: true }).inputValue();
    expect(generated.length).toBeGreaterThanOrEqual(16);
    await expect(dialog.getByRole("button", { name: "Copy password" })).toBeVisible();
    await expect(dialog.getByLabel("Confirm new password", { exact: true })).toHaveValue(generated);
    await expect(dialog.getByText("(not met)")).toHaveCount(0);
    await expect(dialog.getByText(/Strength: (Strong|Very strong)/)).toBeVisible();
    await expectAccessible(page);
    await page.keyboard.press("Escape");
    await dangerZone(page).getByRole("button", { name: "Change" }).click();
    await expect(page.getByRole("dialog").getByLabel("New password", { exact: true })).toHaveValue("");
    expect(await page.content()).not.toContain(generated);
  });

  test("a password failing the policy is refused in the browser, and posted past the browser it is refused by Auth0", async ({
    page,
  }) => {
    const email = uniqueEmail("dz-policy");
    const userId = await tenant.createUser(email, { password: START_PASSWORD });
    await signIn(page, DEMO.support);
    await page.goto(profileUrl(userId));
    await dangerZone(page).getByRole("button", { name: "Change" }).click();
    const dialog = page.getByRole("dialog", { name: "Change password" });
    await fillChangeForm(page, "weakpw", "INC-2 policy check");
    await dialog.getByRole("button", { name: "Continue" }).click();
    await expect(dialog.getByText("does not meet the connection's password policy")).toBeVisible();
    await expect(dialog.getByLabel("New password", { exact: true })).toHaveAttribute("aria-invalid", "true");

    // Now a valid password in the form, swapped for a weak one on the wire.
    const good = "Valid-Looking-Pass-7!";
    await fillChangeForm(page, good, "INC-2 policy check");
    await dialog.getByRole("button", { name: "Continue" }).click();
    await page.route(
      (url) => url.pathname.startsWith("/users/"),
      async (route) => {
        const body = route.request().postData();
        if (route.request().method() === "POST" && body?.includes(good)) {
          await route.continue({ postData: body.replace(good, "weakpw") });
          return;
        }
        await route.continue();
      },
    );
    await page
      .getByRole("dialog", { name: "Confirm password change" })
      .getByRole("button", { name: "Change password" })
      .click();
    const back = page.getByRole("dialog", { name: "Change password" });
    await expect(back.getByText("Auth0 rejected the password: it is too weak")).toBeVisible();
    expect(await tenant.canSignIn(email, START_PASSWORD)).toBe(true);
    expect(await tenant.canSignIn(email, "weakpw")).toBe(false);
  });

  test("reset email: outbox → hosted page → new password works; a second email makes the first link fail", async ({
    page,
    browser,
  }) => {
    const email = uniqueEmail("dz-mail");
    const userId = await tenant.createUser(email, { password: START_PASSWORD });
    await signIn(page, DEMO.support);
    await page.goto(profileUrl(userId));

    async function sendEmail(reason: string) {
      await dangerZone(page).getByRole("button", { name: "Send email" }).click();
      const dialog = page.getByRole("dialog", { name: "Send password reset email" });
      await dialog.getByLabel("Reason").fill(reason);
      await dialog.getByRole("button", { name: "Continue" }).click();
      await expect(dialog).toContainText(email);
      await expectAccessible(page);
      await dialog.getByRole("button", { name: "Send reset email" }).click();
      const done = page.getByRole("dialog", { name: "Reset email sent" });
      await expect(done).toContainText(/[a-z0-9]\*\*\*[a-z0-9]@e2e\.passdesk\.test/);
      await expect(done).toContainText("Only the newest link works");
      await expect(done).toContainText("default 5 days");
      await done.getByRole("button", { name: "Close" }).click();
    }

    await sendEmail("INC-3 first email");
    await expect.poll(async () => (await tenant.outbox(email)).length).toBe(1);
    const first = (await tenant.outbox(email))[0]?.resetLink ?? "";
    await sendEmail("INC-3 second email");
    await expect.poll(async () => (await tenant.outbox(email)).length).toBe(2);
    const newest = (await tenant.outbox(email))[0]?.resetLink ?? "";
    expect(newest).not.toBe(first);

    const endUser = await endUserPage(browser);
    await endUser.goto(first);
    await expect(endUser.getByText("no longer valid because a newer one was requested")).toBeVisible();
    await endUser.goto(newest);
    const chosen = testPassword();
    await endUser.getByLabel("New password", { exact: true }).fill(chosen);
    await endUser.getByLabel("Confirm new password").fill(chosen);
    await endUser.getByRole("button", { name: "Reset password" }).click();
    await expect(endUser.getByText("Your password has been changed.")).toBeVisible();
    await endUser.context().close();
    expect(await tenant.canSignIn(email, chosen)).toBe(true);
  });

  test("reset link works once; its lifetime is chosen and shown; an email link with a short lifetime expires", async ({
    page,
    browser,
  }) => {
    const email = uniqueEmail("dz-link");
    const userId = await tenant.createUser(email, { password: START_PASSWORD });
    await signIn(page, DEMO.support);
    await page.goto(profileUrl(userId));
    await dangerZone(page).getByRole("button", { name: "Create link" }).click();
    const dialog = page.getByRole("dialog", { name: "Create password reset link" });
    await expect(dialog.getByLabel("Link lifetime")).toHaveValue("3600");
    await dialog.getByLabel("Link lifetime").selectOption({ label: "15 minutes" });
    await dialog.getByLabel("Redirect after reset (optional)").fill("http://insecure.example.com");
    await dialog.getByLabel("Reason").fill("INC-4 identity checked by video call");
    await dialog.getByRole("button", { name: "Continue" }).click();
    await expect(dialog.getByText("Enter an https URL")).toBeVisible();
    await dialog.getByLabel("Redirect after reset (optional)").fill("");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Continue" }).click();
    await expect(dialog).toContainText("Verify the person's identity first");
    await expect(dialog).toContainText("earlier reset links stop working");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const done = page.getByRole("dialog", { name: "Reset link created" });
    const link = await done.getByLabel("Reset link", { exact: true }).inputValue();
    expect(link).toMatch(/^https:\/\/localhost:\d+\/u\/reset-password\?ticket=/);
    await expect(done).toContainText("shown only once");
    await expect(done.getByRole("button", { name: "Copy reset link" })).toBeVisible();
    await expectAccessible(page);
    await done.getByRole("button", { name: "Close" }).click();

    const endUser = await endUserPage(browser);
    await endUser.goto(link);
    const chosen = testPassword();
    await endUser.getByLabel("New password", { exact: true }).fill(chosen);
    await endUser.getByLabel("Confirm new password").fill(chosen);
    await endUser.getByRole("button", { name: "Reset password" }).click();
    await expect(endUser.getByText("Your password has been changed.")).toBeVisible();
    await endUser.goto(link);
    await expect(endUser.getByText("already been used")).toBeVisible();
    expect(await tenant.canSignIn(email, chosen)).toBe(true);

    // The audit log has the lifetime, never the link.
    await page.goto(`/audit?target=${encodeURIComponent(email)}`);
    expect(await page.content()).not.toContain(new URL(link).searchParams.get("ticket") ?? "missing");

    // Short lifetime (Passdesk's shortest ticket is 15 minutes, too long to wait for in a test):
    // the tenant's email URL lifetime is lowered for one email, which then expires.
    await tenant.control("PUT", "/settings", { resetLinkLifetimeSec: 1 });
    try {
      await page.goto(profileUrl(userId));
      await dangerZone(page).getByRole("button", { name: "Send email" }).click();
      const mail = page.getByRole("dialog", { name: "Send password reset email" });
      await mail.getByLabel("Reason").fill("INC-4 short lifetime");
      await mail.getByRole("button", { name: "Continue" }).click();
      await mail.getByRole("button", { name: "Send reset email" }).click();
      await expect(page.getByRole("dialog", { name: "Reset email sent" })).toBeVisible();
    } finally {
      await tenant.control("PUT", "/settings", { resetLinkLifetimeSec: 432_000 });
    }
    const short = (await tenant.outbox(email))[0]?.resetLink ?? "";
    await endUser.waitForTimeout(1_500);
    await endUser.goto(short);
    await expect(endUser.getByText("This link has expired")).toBeVisible();
    await endUser.context().close();
  });

  test("a reset link may not redirect to a host outside RESET_RESULT_URL_HOSTS: refused with a message, nothing sent", async ({
    page,
  }) => {
    // The e2e server runs without RESET_RESULT_URL_HOSTS: no redirect host is allowed at all.
    const email = uniqueEmail("dz-redirect");
    const userId = await tenant.createUser(email, { password: START_PASSWORD });
    await signIn(page, DEMO.support);
    await page.goto(profileUrl(userId));
    await dangerZone(page).getByRole("button", { name: "Create link" }).click();
    const dialog = page.getByRole("dialog", { name: "Create password reset link" });
    await dialog.getByLabel("Redirect after reset (optional)").fill("https://evil.example/phish");
    await dialog.getByLabel("Reason").fill("INC-6 phishing redirect attempt");
    await dialog.getByRole("button", { name: "Continue" }).click();
    const before = await tenant.stats();
    await dialog.getByRole("button", { name: "Create link" }).click();
    await expect(dialog).toContainText("Reset links cannot redirect anywhere here");
    const after = await tenant.stats();
    expect(after.requests["POST /api/v2/tickets/password-change"] ?? 0).toBe(
      before.requests["POST /api/v2/tickets/password-change"] ?? 0,
    );
  });

  test("social and enterprise users: no actions offered, direct posts refused, nothing sent upstream", async ({
    page,
  }) => {
    const ids = actionIds();
    await signIn(page, DEMO.admin);
    for (const [email, provider] of [
      ["google.demo@gmail.example", "google-oauth2"],
      ["saml.demo@acme.example", "acme-saml"],
    ] as const) {
      const userId = await tenant.findUserId(email);
      await page.goto(profileUrl(userId));
      await expect(dangerZone(page)).toContainText(`signs in through ${provider}`);
      for (const name of ["Change", "Send email", "Create link"]) {
        await expect(dangerZone(page).getByRole("button", { name })).toHaveCount(0);
      }
      // This user's own record and mail (bulk specs send mail at the same time: no global counters).
      const before = { record: await tenant.userRecord(email), mail: (await tenant.outbox(email)).length };
      const base = { userId, reason: "INC-5 direct post", idempotencyKey: crypto.randomUUID() };
      const responses = [
        await postAction(page, profileUrl(userId), ids.setPasswordAction, {
          ...base,
          password: "Direct-Post-Pass-1!",
        }),
        await postAction(page, profileUrl(userId), ids.sendResetEmailAction, {
          ...base,
          idempotencyKey: crypto.randomUUID(),
        }),
        await postAction(page, profileUrl(userId), ids.createResetTicketAction, {
          ...base,
          idempotencyKey: crypto.randomUUID(),
        }),
      ];
      for (const body of responses) expect(body).toContain("has no database identity");
      expect({ record: await tenant.userRecord(email), mail: (await tenant.outbox(email)).length }).toEqual(
        before,
      );
    }
  });

  test("auditor: no Danger Zone, and direct posts are refused", async ({ page }) => {
    const ids = actionIds();
    const email = uniqueEmail("dz-auditor");
    const userId = await tenant.createUser(email, { password: START_PASSWORD });
    await signIn(page, DEMO.auditor);
    await page.goto(profileUrl(userId));
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(dangerZone(page)).toHaveCount(0);
    const before = await tenant.stats();
    const base = { userId, reason: "INC-6 auditor tries", idempotencyKey: crypto.randomUUID() };
    for (const [id, input] of [
      [ids.setPasswordAction, { ...base, password: "Auditor-Pass-1!" }],
      [ids.sendResetEmailAction, base],
      [ids.createResetTicketAction, base],
    ] as const) {
      expect(await postAction(page, profileUrl(userId), id, input)).toContain('"code":"forbidden"');
    }
    const after = await tenant.stats();
    expect([after.patches, after.emailsSent]).toEqual([before.patches, before.emailsSent]);
    expect(await tenant.canSignIn(email, START_PASSWORD)).toBe(true);
  });

  test("the reset-email flow works with the keyboard alone", async ({ page }) => {
    const email = uniqueEmail("dz-keys");
    const userId = await tenant.createUser(email, { password: START_PASSWORD });
    await signIn(page, DEMO.support);
    await page.goto(profileUrl(userId));
    await dangerZone(page).getByRole("button", { name: "Send email" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Send password reset email" });
    await expect(dialog.getByLabel("Reason")).toBeFocused();
    await page.keyboard.type("INC-7 keyboard only");
    await page.keyboard.press("Tab"); // Cancel
    await page.keyboard.press("Tab"); // Continue
    await expect(dialog.getByRole("button", { name: "Continue" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(dialog.getByRole("button", { name: "Send reset email" })).toBeFocused();
    await page.keyboard.press("Enter");
    const done = page.getByRole("dialog", { name: "Reset email sent" });
    await expect(done.getByRole("button", { name: "Close" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(dangerZone(page).getByRole("button", { name: "Send email" })).toBeFocused();
    await expect.poll(async () => (await tenant.outbox(email)).length).toBe(1);
  });
});
