import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "passdesk-demo";
export const DEMO = {
  admin: "admin@passdesk.test",
  support: "support@passdesk.test",
  auditor: "auditor@passdesk.test",
  /** Scoped support operators (issue 16): region eu; members of the organization acme. */
  euSupport: "eu-support@passdesk.test",
  acmeSupport: "acme-support@passdesk.test",
  /** A scoped auditor: region eu (the audit log of EU users only). */
  euAuditor: "eu-auditor@passdesk.test",
} as const;

let ipCounter = 0;
/** A distinct documentation-range address per test, sent as X-Forwarded-For (TRUST_PROXY is on in e2e). */
export function uniqueTestIp(): string {
  ipCounter += 1;
  const n = (process.pid * 97 + ipCounter) % 65_000;
  return `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

export const test = base.extend<{ clientIp: string }>({
  clientIp: async ({}, provide) => {
    await provide(uniqueTestIp());
  },
  context: async ({ context, clientIp }, provide) => {
    await context.setExtraHTTPHeaders({ "X-Forwarded-For": clientIp });
    await provide(context);
  },
});

export { expect };

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Signed in means: off the sign-in page, on a page that has rendered its title (`/` is a
  // server redirect to /users, so no title-less page is ever in between).
  await page.waitForURL((url) => url.pathname !== "/sign-in" && url.pathname !== "/");
  await expect(page).toHaveTitle(/\S/);
  await expect(page.getByRole("button", { name: /^Account menu:/ })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Account menu:/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/**
 * Accessibility scan: zero serious or critical violations (axe-core, WCAG 2.1 A/AA rules).
 * It scans the settled page: first every `aria-busy="true"` part (a table dimmed while a search
 * runs, a loading skeleton) must have finished, or colour contrast is measured mid-transition.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(
    serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

/** Creates an operator through the admin UI and returns its initial password. */
export async function createOperatorAsAdmin(page: Page, input: { email: string; name: string; role: "Admin" | "Support" | "Auditor" }): Promise<string> {
  await page.goto("/operators");
  await page.getByRole("button", { name: "Add operator" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill(input.email);
  await dialog.getByLabel("Name").fill(input.name);
  await dialog.getByLabel("Role").selectOption({ label: input.role });
  await dialog.getByRole("button", { name: "Add operator" }).click();
  const password = await dialog.getByLabel("Initial password").inputValue();
  expect(password).toHaveLength(24);
  await dialog.getByRole("button", { name: "Done" }).click();
  return password;
}

/**
 * Every password a test types or sets is made here, with a marker the global teardown searches
 * for in the server log and the database files: no test password may be stored or logged.
 */
export const TEST_SECRET_MARKER = "Pdx9Secret";
export function testPassword(): string {
  return `${TEST_SECRET_MARKER}-${Math.random().toString(36).slice(2, 10)}-Aa1!`;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.passdesk.test`;
}
