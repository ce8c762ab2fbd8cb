import { DEMO, expect, signIn, test } from "./support/fixtures";

/**
 * Every table page of an admin, in Japanese on a phone (390×844), is no wider than the screen:
 * a wide table scrolls inside its own region. (The Operators and Audit pages were 460 and 267 px
 * wider: the tables' visually hidden labels are absolutely positioned, and a scroll container
 * that is not itself positioned does not clip them, so they widened the page.)
 */
test("admin pages in Japanese at 390×844 are no wider than the screen", async ({ page, context }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, DEMO.admin);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "ja", url: page.url() }]);
  const widths: Record<string, number> = {};
  for (const [path, heading] of [
    ["/users", "ユーザー"],
    ["/audit", "監査ログ"],
    ["/operators", "オペレーター"],
    ["/bulk", "一括ジョブ"],
    ["/approvals", "承認"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    widths[path] = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
  }
  expect(widths).toEqual({ "/users": 0, "/audit": 0, "/operators": 0, "/bulk": 0, "/approvals": 0 });
});

/**
 * A scoped operator's header carries the scope badge as well: language, scope, name and role
 * must wrap rather than push the role off a 390 px screen (it did: 14 px in Japanese, 18 px in
 * English for acme-support).
 */
test("a scoped operator's pages at 390×844 are no wider than the screen, in English and Japanese", async ({
  page,
  context,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, DEMO.acmeSupport);
  const widths: Record<string, number> = {};
  for (const locale of ["en", "ja"] as const) {
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: page.url() }]);
    for (const path of ["/users", "/audit", "/approvals"] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      widths[`${locale} ${path}`] = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    }
  }
  expect(widths).toEqual({
    "en /users": 0,
    "en /audit": 0,
    "en /approvals": 0,
    "ja /users": 0,
    "ja /audit": 0,
    "ja /approvals": 0,
  });
});
