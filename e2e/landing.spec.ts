import { DEMO, DEMO_PASSWORD, expect, signIn, test } from "./support/fixtures";

/**
 * Issue 13, point 4: what a newcomer meets first. `/` is a server redirect (no empty page without
 * a title in between), and the site has an icon.
 */
test.describe("landing", () => {
  test("/ answers a server redirect to /users, not a page", async ({ page }) => {
    await signIn(page, DEMO.support);
    const response = await page.request.get("/", { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(response.headers()["location"]).toBe("/users");
  });

  test("signing in lands on /users with its title; the browser never shows /", async ({ page }) => {
    const shown: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) shown.push(new URL(frame.url()).pathname);
    });
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(DEMO.auditor);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/users$/);
    await expect(page).toHaveTitle("Users · Passdesk");
    expect(shown).not.toContain("/");
  });

  test("/favicon.ico is an icon, also before signing in", async ({ request }) => {
    const response = await request.get("/favicon.ico", { maxRedirects: 0 });
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
  });
});
