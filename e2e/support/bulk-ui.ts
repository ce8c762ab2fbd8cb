import { readFileSync } from "node:fs";
import type { Browser, Page } from "@playwright/test";
import { expect, signIn, uniqueEmail, uniqueTestIp } from "./fixtures";
import type { CaseTenant } from "./support-case-tenant";

/** The bulk specs' steps through the pages (e2e/bulk.spec.ts, e2e/bulk-restart.spec.ts). */

/** `count` fresh database users at the tenant, ten at a time; their emails. */
export async function createUsers(tenant: CaseTenant, count: number, prefix: string): Promise<string[]> {
  const emails = Array.from({ length: count }, () => uniqueEmail(prefix));
  for (let i = 0; i < emails.length; i += 10) {
    await Promise.all(emails.slice(i, i + 10).map((email) => tenant.createUser(email)));
  }
  return emails;
}

/** A signed-in page in its own context (own client IP; another app instance with `baseURL`). */
export async function newSignedInPage(browser: Browser, email: string, password?: string, baseURL?: string): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": uniqueTestIp() }, ...(baseURL ? { baseURL } : {}) });
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

export function csvFile(lines: readonly string[]) {
  return { name: "incident.csv", mimeType: "text/csv", buffer: Buffer.from(`${lines.join("\n")}\n`, "utf8") };
}

export async function uploadAndPreview(page: Page, lines: readonly string[]): Promise<void> {
  await page.getByLabel(/^CSV file/).setInputFiles(csvFile(lines));
  await page.getByRole("button", { name: "Preview", exact: true }).click();
}

/** Requests approval of the previewed job; its id. */
export async function requestJob(page: Page, reason: string): Promise<string> {
  await page.getByLabel("Reason", { exact: true }).fill(reason);
  await page.getByRole("button", { name: "Request approval" }).click();
  await page.waitForURL(/\/bulk\/[a-z0-9]+$/);
  return new URL(page.url()).pathname.split("/").pop() as string;
}

export async function approve(page: Page, jobId: string): Promise<void> {
  await page.goto(`/bulk/${jobId}`);
  await page.getByLabel("Reason for the decision").fill("Second pair of eyes: list checked");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText(/^Decided by /)).toBeVisible();
}

export type BulkProgress = {
  status: string;
  counts: Record<"done" | "failed" | "skipped" | "cancelled" | "remaining", number>;
};

/** GET /api/bulk/[id] as the page's operator. */
export async function jobProgress(page: Page, jobId: string): Promise<BulkProgress> {
  return (await (await page.request.get(`/api/bulk/${jobId}`)).json()) as BulkProgress;
}

/** The results CSV through the page's download link: its lines (CRLF-separated). */
export async function downloadResults(page: Page): Promise<string[]> {
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download results (CSV)" }).click();
  const file = await (await download).path();
  return readFileSync(file, "utf8").trim().split("\r\n");
}

/**
 * The job page shows the job finished with every valid user done and `skipped` rows skipped;
 * the tenant's outbox has exactly one email per valid user and none for `noEmail`.
 */
export async function expectOneEmailEach(
  page: Page,
  tenant: CaseTenant,
  expected: { valid: readonly string[]; skipped: number; noEmail: readonly string[]; timeout: number },
): Promise<void> {
  await expect(page.getByTestId("bulk-status")).toHaveText("Finished", { timeout: expected.timeout });
  await expect(page.getByTestId("bulk-done")).toHaveText(String(expected.valid.length));
  await expect(page.getByTestId("bulk-failed")).toHaveText("0");
  await expect(page.getByTestId("bulk-skipped")).toHaveText(String(expected.skipped));
  await expect(page.getByTestId("bulk-remaining")).toHaveText("0");
  const counts: number[] = [];
  for (let i = 0; i < expected.valid.length; i += 20) {
    counts.push(...(await Promise.all(expected.valid.slice(i, i + 20).map(async (email) => (await tenant.outbox(email)).length))));
  }
  expect(counts).toEqual(expected.valid.map(() => 1));
  for (const email of expected.noEmail) expect((await tenant.outbox(email)).length).toBe(0);
}
