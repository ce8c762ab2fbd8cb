import { readFileSync } from "node:fs";
import path from "node:path";
import { approve, createUsers as createTenantUsers, downloadResults, expectOneEmailEach, jobProgress, newSignedInPage, requestJob, uploadAndPreview } from "./support/bulk-ui";
import { createOperatorAsAdmin, DEMO, expect, expectAccessible, signIn, test, uniqueEmail } from "./support/fixtures";
import { openCaseTenant, type CaseTenant } from "./support/support-case-tenant";

/**
 * Bulk jobs in Chromium against the local tenant: a CSV of ~200 rows (database users, unknown
 * emails, a social user; duplicates refused with a clear message) → the right preview; the
 * requester cannot approve their own request (no button, and the action posted directly is
 * refused); a second admin approves; the job runs; the tenant outbox has exactly one email per
 * valid user; the results CSV matches; a second job is cancelled and stops.
 */
const SOCIAL_USER = "google.demo@gmail.example";
const DIST = path.join(__dirname, "..", process.env.PASSDESK_DIST_DIR || ".next");

test.describe.configure({ mode: "serial" });

let tenant: CaseTenant;
test.beforeAll(async () => {
  tenant = await openCaseTenant();
  // Creating 200 users at once would meet the tenant's users:write limit (this server's own tenant).
  await tenant.control("PUT", "/rate-limits", { disabled: true });
});
test.afterAll(async () => {
  await tenant?.control("PUT", "/rate-limits", { disabled: true }).catch(() => undefined);
  await tenant?.dispose();
});

const createUsers = (count: number, prefix: string) => createTenantUsers(tenant, count, prefix);

/** The id of a server action in this build (as the authorization matrix finds it). */
function actionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(DIST, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, value]) => value.exportedName === exportedName);
  if (!entry) throw new Error(`no server action ${exportedName} in the build`);
  return entry[0];
}

test("a CSV of 200 rows: preview, four eyes, one email per valid user, results CSV; a cancelled job stops", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const valid = await createUsers(180, "bulk");
  const unknown = Array.from({ length: 18 }, (_, i) => `nobody-${i}-${Date.now().toString(36)}@e2e.passdesk.test`);
  const rows = [...valid.slice(0, 90), ...unknown, SOCIAL_USER, ...valid.slice(90)];
  expect(rows).toHaveLength(199);

  await signIn(page, DEMO.admin);
  const approverEmail = uniqueEmail("approver");
  const approverPassword = await createOperatorAsAdmin(page, { email: approverEmail, name: "Second Admin", role: "Admin" });

  await page.goto("/bulk");
  await expect(page.getByRole("heading", { name: "Bulk jobs", level: 1 })).toBeVisible();
  // Duplicates: a clear message and nothing to request.
  await uploadAndPreview(page, ["email", ...rows.slice(0, 5), rows[2] as string]);
  await expect(page.getByText("These lines repeat a value: 4, 7. Remove the duplicates. Nothing was queued.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Request approval" })).toHaveCount(0);

  await uploadAndPreview(page, ["email", ...rows]);
  await expect(page.getByTestId("preview-matched")).toHaveText("180");
  await expect(page.getByTestId("preview-unknown")).toHaveText("18");
  await expect(page.getByTestId("preview-ambiguous")).toHaveText("0");
  await expect(page.getByTestId("preview-duplicate")).toHaveText("0");
  await expect(page.getByTestId("preview-not_database")).toHaveText("1");
  await expect(page.getByText("199 rows")).toBeVisible();
  await expectAccessible(page);

  const jobId = await requestJob(page, "INC-4711 credential stuffing wave");
  await expect(page.getByTestId("bulk-status")).toHaveText("Awaiting approval");
  await expect(page.getByText("You requested this job, so another admin must approve it.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expectAccessible(page);

  // Posted directly, the requester's own approval is refused and nothing changes.
  const posted = await page.request.post(`/bulk/${jobId}`, {
    headers: { "Next-Action": actionId("decideBulkJobAction"), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", Origin: new URL(page.url()).origin },
    data: JSON.stringify([{ jobId, decision: "approve", reason: "I approve my own job" }]),
    maxRedirects: 0,
  });
  expect(await posted.text()).toContain('"code":"forbidden"');
  await page.reload();
  await expect(page.getByTestId("bulk-status")).toHaveText("Awaiting approval");

  const approver = await newSignedInPage(browser, approverEmail, approverPassword);
  await approve(approver, jobId);

  // The page follows the job live until it is done: exactly one email per valid user at the
  // tenant, none for the others.
  expect(valid).toHaveLength(180);
  await expectOneEmailEach(page, tenant, { valid, skipped: 19, noEmail: [SOCIAL_USER], timeout: 180_000 });

  // The results CSV: one line per row, in order, with the outcome of each.
  const lines = await downloadResults(page);
  expect(lines[0]).toBe("position,input,user_id,status,error_code,error_message,attempts,finished_at");
  expect(lines).toHaveLength(200);
  const byInput = new Map(lines.slice(1).map((line) => [line.split(",")[1], line.split(",")[3]]));
  expect(valid.every((email) => byInput.get(email) === "succeeded")).toBe(true);
  expect(unknown.every((email) => byInput.get(email) === "skipped")).toBe(true);
  expect(byInput.get(SOCIAL_USER)).toBe("skipped");

  // A second job, slowed by a low tenant rate limit, is cancelled while it runs and stops.
  const second = await createUsers(30, "cancel");
  await page.goto("/bulk");
  await uploadAndPreview(page, ["email", ...second]);
  await expect(page.getByTestId("preview-matched")).toHaveText("30");
  const secondId = await requestJob(page, "INC-4712 second wave, to be cancelled");
  await tenant.control("PUT", "/rate-limits", { reset: true, groups: { "users:read": { burst: 1, perMinute: 60 } } });
  await approve(approver, secondId);
  await expect(page.getByTestId("bulk-status")).toHaveText("Running", { timeout: 60_000 });
  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByTestId("bulk-status")).toHaveText("Cancelled");
  await tenant.control("PUT", "/rate-limits", { disabled: true });
  const progress = () => jobProgress(page, secondId);
  // Items in flight at the moment of the cancel settle; then nothing is left to run.
  await expect.poll(async () => (await progress()).counts.remaining).toBe(0);
  const final = await progress();
  expect(final.status).toBe("CANCELLED");
  expect(final.counts.cancelled).toBeGreaterThan(0);
  expect(final.counts.done + final.counts.failed + final.counts.cancelled).toBe(30);
  const secondEmails = await Promise.all(second.map(async (email) => (await tenant.outbox(email)).length));
  expect(secondEmails.filter((n) => n === 1)).toHaveLength(final.counts.done);
  expect(secondEmails.filter((n) => n > 1)).toHaveLength(0);
});

test("the bulk pages at 390×844 and by keyboard alone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, DEMO.admin);
  await page.goto("/bulk");
  await expect(page.getByRole("heading", { name: "Bulk jobs", level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);

  // Keyboard: choose the operation, reach the file input and the preview button by Tab.
  const operation = page.getByLabel("Operation");
  await operation.focus();
  await page.keyboard.press("ArrowDown");
  await expect(operation).toHaveValue("password.force_reset");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Preview", exact: true })).toBeFocused();

  // Sign out everywhere includes social users (the password operations skip them).
  await operation.selectOption("sessions.revoke");
  await uploadAndPreview(page, ["email", SOCIAL_USER, `nobody-${Date.now().toString(36)}@e2e.passdesk.test`]);
  await expect(page.getByTestId("preview-matched")).toHaveText("1");
  await expect(page.getByTestId("preview-not_database")).toHaveText("0");
  await expect(page.getByTestId("preview-unknown")).toHaveText("1");
  await operation.selectOption("password.reset_email");
  await expect(page.getByTestId("preview-matched")).toHaveCount(0);
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  await expect(page.getByTestId("preview-not_database")).toHaveText("1");
  await expectAccessible(page);

  await page.locator('section[aria-labelledby="bulk-jobs-heading"]').getByRole("link").first().focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/bulk\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: "Bulk job", level: 1 })).toBeVisible();
  const jobOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(jobOverflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);
});
