import type { Locator, Page } from "@playwright/test";
import { DEMO, expect, expectAccessible, signIn, test } from "./support/fixtures";
import { createTestUser, deleteTestUsers, uniqueMarker, type TestUser } from "./support/tenant";

/** Kanji the seeded Japanese names do not use, so a random family name is unique. */
const KANJI = "鳳凰麒麟龍虎鶴亀蘭菊桐楓椿萩葵藤柊榊檜楠";

function uniqueKanji(length: number): string {
  return Array.from({ length }, () => KANJI[Math.floor(Math.random() * KANJI.length)]).join("");
}

function rows(page: Page) {
  return page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
}

/** Types into the search box in the default mode and waits for the debounced /api/users call for exactly this text. */
async function searchAndWait(page: Page, text: string): Promise<number> {
  const answered = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === "/api/users" && url.searchParams.get("q") === text;
  });
  await page.getByLabel("Search users").fill(text);
  return (await answered).status();
}

/** Clicks where a person would: at the centre of what they see (the row link lies over it). */
async function clickOn(page: Page, target: Locator, button: "left" | "middle" = "left"): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error("target is not visible");
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button });
}

test.describe("one search box finds anyone", () => {
  const created: TestUser[] = [];
  test.afterAll(async () => {
    await deleteTestUsers(created);
  });

  test("the default mode finds a user by Japanese name, pasted user id and email prefix; the email opens the profile; back keeps the search", async ({
    page,
    context,
  }) => {
    const marker = uniqueMarker("s");
    const family = uniqueKanji(4);
    const user = await createTestUser({
      email: `${marker}.jp@e2e.passdesk.test`,
      name: `${family} ${uniqueKanji(2)}`,
      familyName: family,
    });
    created.push(user);

    await signIn(page, DEMO.support);
    await page.goto("/users");
    await expect(page.getByLabel("Search in")).toHaveValue("any");

    expect(await searchAndWait(page, family)).toBe(200);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(user.name);

    expect(await searchAndWait(page, user.userId)).toBe(200);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(user.email);

    expect(await searchAndWait(page, `${marker}.jp@`)).toBe(200);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(user.name);
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(`${marker}.jp@`);
    await expectAccessible(page);

    // A middle-click anywhere on the row opens the profile in a new tab, as for any link.
    const email = rows(page).first().getByText(user.email, { exact: true }).filter({ visible: true });
    const opened = context.waitForEvent("page");
    await clickOn(page, email, "middle");
    const tab = await opened;
    await expect(tab).toHaveURL(`/users/${encodeURIComponent(user.userId)}`);
    await tab.close();

    // Sort by a header, then open the profile by clicking the email.
    await page.getByRole("button", { name: "Logins" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("logins_count:-1");
    await clickOn(page, email);
    await expect(page).toHaveURL(`/users/${encodeURIComponent(user.userId)}`);
    await expect(page.getByRole("heading", { name: user.name, level: 1 })).toBeVisible();

    // "← Back to users" returns to the same search and sort.
    await page.getByRole("link", { name: "← Back to users" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(`${marker}.jp@`);
    expect(new URL(page.url()).searchParams.get("sort")).toBe("logins_count:-1");
    await expect(page.getByLabel("Search users")).toHaveValue(`${marker}.jp@`);
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole("columnheader", { name: "Logins" })).toHaveAttribute("aria-sort", "descending");
  });

  test("column headers sort by keyboard, with aria-sort, through the URL", async ({ page }) => {
    await signIn(page, DEMO.admin);
    await page.goto("/users?perPage=10");
    await expect(rows(page)).toHaveCount(10);
    const logins = () =>
      rows(page)
        .locator("td:nth-child(5)")
        .allTextContents()
        .then((texts) => texts.map(Number));

    const header = page.getByRole("columnheader", { name: "Logins" });
    await expect(header).not.toHaveAttribute("aria-sort");
    await header.getByRole("button").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("logins_count:-1");
    await expect(header).toHaveAttribute("aria-sort", "descending");
    await expect
      .poll(async () => {
        const values = await logins();
        return values.length > 1 && values.join() === [...values].sort((a, b) => b - a).join();
      })
      .toBe(true);
    await expect(page.getByLabel("Sort by")).toHaveValue("logins_count:-1");

    await page.keyboard.press("Space");
    await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("logins_count:1");
    await expect(header).toHaveAttribute("aria-sort", "ascending");
    await expect
      .poll(async () => {
        const values = await logins();
        return values.length > 1 && values.join() === [...values].sort((a, b) => a - b).join();
      })
      .toBe(true);

    await page.getByRole("button", { name: "Email" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("email:1");
    await expect(page.getByRole("columnheader", { name: "Email" })).toHaveAttribute("aria-sort", "ascending");
    await expect(header).not.toHaveAttribute("aria-sort");
    await page.goBack();
    await expect(header).toHaveAttribute("aria-sort", "ascending");
  });

  test("hostile text in the default mode gets a result or a clear message, never a server error", async ({
    page,
  }) => {
    const failures: string[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/api/users") && response.status() >= 500)
        failures.push(`${response.status()} ${response.url()}`);
    });
    await signIn(page, DEMO.support);
    await page.goto("/users");
    const inputs = [
      '"',
      '"jane',
      "\\",
      "a\\b\\",
      "AND OR NOT : * ? ~ ( ) [ ] { } ^ \"",
      "AND",
      "NOT x",
      "*:*",
      "email:*",
      "name:(a OR b)",
      "x) OR (y",
      "[a TO z]",
      "{*}",
      "jane~2",
      "j*n?",
      "^boost",
      "a|b",
      "auth0|\"x",
      "|",
      "@",
      "<script>",
      "🦄🦄🦄",
      "👩‍👩‍👧 山田",
      "a".repeat(2_000),
    ];
    for (const text of inputs) {
      const status = await searchAndWait(page, text);
      expect(status, text.slice(0, 20)).toBe(text.length > 256 ? 400 : 200);
      await expect(page.getByText(/\d+ users?|No users|too long/).first()).toBeVisible();
    }
    await expect(page.getByRole("alert").filter({ hasText: "The search text is too long" })).toBeVisible();
    expect(failures).toEqual([]);
  });
});

test.describe("on a phone (390×844)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("rows fit the screen, emails stay on one line, and a row still opens the profile", async ({ page }) => {
    await signIn(page, DEMO.support);
    await page.goto("/users?perPage=10");
    await expect(rows(page)).toHaveCount(10);
    // No sideways scrolling: the table fits the viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const table = page.getByRole("table");
    const tableBox = await table.boundingBox();
    expect(tableBox && tableBox.x + tableBox.width).toBeLessThanOrEqual(390);
    // Each email is one line: its box is no taller than one line of its text.
    const heights = await rows(page).evaluateAll((elements) =>
      elements.map((row) => {
        const email = Array.from(row.querySelectorAll("span")).find(
          (span) => span.textContent?.includes("@") && span.children.length === 0 && span.offsetParent !== null,
        );
        if (!email) return { text: "", lines: 0 };
        const lineHeight = parseFloat(getComputedStyle(email).lineHeight);
        return { text: email.textContent ?? "", lines: Math.round(email.getBoundingClientRect().height / lineHeight) };
      }),
    );
    for (const { text, lines } of heights) expect(lines, text).toBe(1);
    await expectAccessible(page);

    const first = rows(page).first();
    const href = await first.getByRole("link").getAttribute("href");
    await clickOn(page, first.locator("img, span").first());
    await expect(page).toHaveURL(href ?? "");
  });
});
