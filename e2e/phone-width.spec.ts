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
