import type { Page } from "@playwright/test";
import { DEMO, expect, signIn, test, uniqueEmail } from "./support/fixtures";
import { createTestUser, deleteTestUsers, tenantClient, type TestUser } from "./support/tenant";

/**
 * The Change password dialog against the connection's real policy (local tenant, real Chromium):
 * it fits the window with its buttons in view, its checklist and strength meter agree with what
 * Auth0 will do, and an auditor's profile says why it has no Danger Zone.
 */

const STAFF_CONNECTION = "Passdesk-Staff-DB";
const created: TestUser[] = [];

test.afterAll(async () => {
  await deleteTestUsers(created);
});

async function databaseUser(prefix: string): Promise<TestUser> {
  const email = uniqueEmail(prefix);
  const user = await createTestUser({ email, name: `E2E ${prefix}` });
  created.push(user);
  return user;
}

async function staffUser(prefix: string, extra: Record<string, unknown> = {}): Promise<TestUser> {
  const email = uniqueEmail(prefix);
  const result = await tenantClient().users.create({
    connection: STAFF_CONNECTION,
    email,
    password: "Staff-Initial-Pass-1!",
    email_verified: true,
    ...extra,
  });
  const user = { userId: result.user_id ?? "", email, name: result.name ?? email };
  created.push(user);
  return user;
}

async function openChangeDialog(page: Page, userId: string) {
  await page.goto(`/users/${encodeURIComponent(userId)}`);
  await page.getByRole("region", { name: "Danger Zone" }).getByRole("button", { name: "Change" }).click();
  const dialog = page.getByRole("dialog", { name: "Change password" });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The element's box lies wholly inside the viewport. */
async function expectInViewport(page: Page, locator: ReturnType<Page["getByRole"]>) {
  const viewport = page.viewportSize();
  const box = await locator.boundingBox();
  expect(viewport).not.toBeNull();
  expect(box).not.toBeNull();
  if (!viewport || !box) return;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`after Generate the dialog fits ${size.width}×${size.height} with Cancel and Continue in view`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    const user = await staffUser(`dlg-fit${size.width}`);
    await signIn(page, DEMO.admin);
    const dialog = await openChangeDialog(page, user.userId);
    await dialog.getByRole("button", { name: "Generate" }).click();
    await expect(dialog.getByRole("button", { name: "Copy password" })).toBeVisible();
    await expect(dialog.getByText(/Strength: (Strong|Very strong)/)).toBeVisible();
    await expectInViewport(page, dialog);
    await expectInViewport(page, dialog.getByRole("button", { name: "Cancel" }));
    await expectInViewport(page, dialog.getByRole("button", { name: "Continue" }));
    // The reason field is reachable (the body scrolls under the footer) and Continue works.
    await dialog.getByLabel("Reason").fill("INC-13 dialog fits the window");
    await expectInViewport(page, dialog.getByRole("button", { name: "Continue" }));
    await dialog.getByRole("button", { name: "Continue" }).click();
    const confirm = page.getByRole("dialog", { name: "Confirm password change" });
    await expectInViewport(page, confirm.getByRole("button", { name: "Change password" }));
    await expectInViewport(page, confirm.getByRole("button", { name: "Back" }));
  });
}

test('the checklist and meter agree with Auth0: "Passdesk2025!" is refused by the dictionary, and Auth0 says so too', async ({
  page,
}) => {
  const user = await staffUser("dlg-dict", { given_name: "Marguerite" });
  await signIn(page, DEMO.admin);
  const dialog = await openChangeDialog(page, user.userId);
  // Empty: every rule pending, none failed.
  await expect(dialog.getByText("(not met)")).toHaveCount(0);
  await expect(dialog.getByText("(not checked yet)").first()).toBeVisible();

  const password = dialog.getByLabel("New password", { exact: true });
  await password.fill("Passdesk2025!");
  await expect(
    dialog.getByRole("listitem").filter({ hasText: "Not one of the connection's 4 forbidden passwords" }),
  ).toContainText("(not met)");
  await expect(dialog.getByRole("listitem").filter({ hasText: "Not a common password" })).toContainText(
    "(checked by Auth0 when you save)",
  );
  await expect(dialog.getByText("Strength: Refused")).toBeVisible();
  await expect(dialog.getByText("Very strong")).toHaveCount(0);
  await expect(dialog.getByText("Auth0 will refuse this password: it is on the connection's list")).toBeVisible();

  await password.fill("Marguerite-Lamp-2031");
  await expect(
    dialog.getByRole("listitem").filter({ hasText: "Does not contain the user's name" }),
  ).toContainText("(not met)");
  await expect(dialog.getByText("it contains the user's personal information")).toBeVisible();

  // The tenant (Auth0's rules) refuses both for the same reasons.
  const refusal = (candidate: string) =>
    tenantClient()
      .users.update(user.userId, { password: candidate })
      .then(
        () => "accepted",
        (error: unknown) => (error as { body?: { message?: string } }).body?.message ?? "error",
      );
  expect(await refusal("Passdesk2025!")).toBe("PasswordDictionaryError: Password is too common");
  expect(await refusal("Marguerite-Lamp-2031")).toBe("PasswordNoUserInfoError: Password contains user information");

  // Continue is refused in the browser with the reason.
  await password.fill("Passdesk2025!");
  await dialog.getByLabel("Confirm new password", { exact: true }).fill("Passdesk2025!");
  await dialog.getByLabel("Reason").fill("INC-13 dictionary check");
  await dialog.getByRole("button", { name: "Continue" }).click();
  await expect(dialog.getByText("The password is on the connection's list of forbidden passwords.")).toBeVisible();
});

test('"Password1" meets every rule of "good" but the meter says Very weak, and explains why', async ({ page }) => {
  const user = await databaseUser("dlg-weak");
  await signIn(page, DEMO.support);
  const dialog = await openChangeDialog(page, user.userId);
  await dialog.getByLabel("New password", { exact: true }).fill("Password1");
  await expect(dialog.getByRole("listitem").filter({ hasText: "At least 8 characters" })).toContainText("(met)");
  await expect(dialog.getByText("(not met)")).toHaveCount(0);
  await expect(
    dialog.getByRole("listitem").filter({ hasText: "Not one of the user's last 5 passwords" }),
  ).toContainText("(checked by Auth0 when you save)");
  await expect(dialog.getByText("Strength: Very weak")).toBeVisible();
  await expect(dialog.getByText("those rules only count characters")).toBeVisible();
});

test("an auditor's profile says why there is no Danger Zone", async ({ page }) => {
  const user = await databaseUser("dlg-auditor");
  await signIn(page, DEMO.auditor);
  await page.goto(`/users/${encodeURIComponent(user.userId)}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Danger Zone" })).toHaveCount(0);
  const note = page.getByRole("region", { name: "Password actions" });
  await expect(note).toContainText("Your role (auditor) is read-only");
  await expect(note).toContainText("ask a support operator or an admin");
  await expect(note.getByRole("button")).toHaveCount(0);
});
