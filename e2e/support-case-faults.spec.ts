import { DEMO, expect, signIn, test, uniqueEmail } from "./support/fixtures";
import { openCaseTenant, profileUrl, type CaseTenant } from "./support/support-case-tenant";

/**
 * The support case when Auth0 refuses the logs: a missing scope (the tenant withholds read:logs
 * from every token) or a 5xx. The panels say what they could not load and name the scope; the
 * profile, its header and the Danger Zone still work. Runs in the "faults" project (alone), as
 * it changes the shared tenant's behaviour.
 */

let tenant: CaseTenant;
test.beforeAll(async () => {
  tenant = await openCaseTenant();
});
test.afterEach(async () => {
  await tenant.control("PUT", "/scopes", { withhold: [] });
  await tenant.control("DELETE", "/faults");
});
test.afterAll(async () => {
  await tenant.dispose();
});

test("a missing read:logs scope: the panels name it and the page still works", async ({ page }) => {
  const email = uniqueEmail("case-scope");
  const userId = await tenant.createUser(email);
  await tenant.control("PUT", "/scopes", { withhold: ["read:logs", "read:logs_users"] });
  await signIn(page, DEMO.support);
  await page.goto(profileUrl(userId));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const diagnosis = page.getByRole("region", { name: "Why can’t they sign in?" });
  await expect(diagnosis).toContainText("The sign-in logs could not be read, so recent failures cannot be ruled out.");
  await expect(diagnosis).toContainText("lacks the scope read:logs or read:logs_users");
  const timeline = page.getByRole("region", { name: "Sign-in timeline" });
  await expect(timeline.getByTestId("timeline-logs-error")).toContainText(
    "Auth0’s sign-in events could not be loaded: Passdesk’s Auth0 application lacks the scope read:logs or read:logs_users",
  );
  await expect(page.getByRole("region", { name: "Reset emails and links" })).toContainText("read:logs or read:logs_users");
  // The rest of the profile works: the Danger Zone sends a reset email.
  await page.getByRole("region", { name: "Danger Zone" }).getByRole("button", { name: "Send email" }).click();
  const dialog = page.getByRole("dialog", { name: "Send password reset email" });
  await dialog.getByLabel("Reason").fill("INC-16 logs scope missing");
  await dialog.getByRole("button", { name: "Continue" }).click();
  await dialog.getByRole("button", { name: "Send reset email" }).click();
  await expect(page.getByRole("dialog", { name: "Reset email sent" })).toBeVisible();
  await expect.poll(async () => (await tenant.outbox(email)).length).toBe(1);
});

test("a 503 on the logs: the timeline says Auth0 did not answer and still shows Passdesk's events", async ({ page }) => {
  const userId = await tenant.createUser(uniqueEmail("case-503"));
  await tenant.control("POST", "/faults", { method: "GET", path: "/api/v2/logs", action: { type: "status", status: 503 } });
  await signIn(page, DEMO.support);
  await page.goto(profileUrl(userId));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Sign-in timeline" }).getByTestId("timeline-logs-error")).toContainText(
    "Auth0 did not answer properly",
  );
  await expect(page.getByRole("region", { name: "Why can’t they sign in?" })).toHaveAttribute("data-cause", "no_recent_failures");

  // Without the fault the logs load again and Auth0's health recovers for the specs that follow.
  await tenant.control("DELETE", "/faults");
  await page.reload();
  await expect(page.getByRole("region", { name: "Sign-in timeline" }).getByTestId("timeline-logs-error")).toHaveCount(0);
  await expect
    .poll(async () => ((await (await page.request.get("/api/health")).json()) as { auth0?: string }).auth0)
    .toBe("ok");
});
