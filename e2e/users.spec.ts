import type { Page } from "@playwright/test";
import { DEMO, expect, expectAccessible, signIn, test } from "./support/fixtures";
import {
  createTestUser,
  deleteTestUsers,
  findSeededUser,
  uniqueMarker,
  type TestUser,
} from "./support/tenant";

const KANJI = "山川田中木林森石井上下本村松竹梅花鳥風月雪星空海光春夏秋冬東西南北金銀";

function uniqueKanji(length: number): string {
  return Array.from({ length }, () => KANJI[Math.floor(Math.random() * KANJI.length)]).join("");
}

/** Chooses a field and types, as a person would. */
async function search(page: Page, field: string, text: string): Promise<void> {
  await page.getByLabel("Search in").selectOption({ label: field });
  await page.getByLabel("Search users").fill(text);
}

/** Like search, and returns the status of the debounced /api/users call for exactly this text. */
async function searchAndWait(page: Page, field: string, text: string): Promise<number> {
  const answered = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === "/api/users" && url.searchParams.get("q") === text;
  });
  await search(page, field, text);
  return (await answered).status();
}

/** The search's error box (Next's route announcer is an empty alert too). */
function searchAlert(page: Page) {
  return page.getByRole("alert").filter({ hasText: "The search did not work" });
}

function rows(page: Page) {
  return page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
}

test.describe("users page", () => {
  const created: TestUser[] = [];
  test.afterAll(async () => {
    await deleteTestUsers(created);
  });

  test("finds a user by email, by name, by Japanese name and by user id, and opens the profile", async ({
    page,
  }) => {
    const marker = uniqueMarker("e");
    const family = `Q${marker}`;
    const japaneseFamily = uniqueKanji(4);
    const japanese = await createTestUser({
      email: `${marker}.ja@e2e.passdesk.test`,
      name: `${japaneseFamily} ${uniqueKanji(2)}`,
      familyName: japaneseFamily,
    });
    const english = await createTestUser({
      email: `${marker}.en@e2e.passdesk.test`,
      name: `Avery ${family}`,
      givenName: "Avery",
      familyName: family,
    });
    created.push(japanese, english);

    await signIn(page, DEMO.support);
    await page.goto("/users");
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();

    await search(page, "Email", `${marker}.en`);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(english.email);
    await expect(rows(page).first()).toContainText("Database");
    await expect(page).toHaveURL(new RegExp(`q=${marker}\\.en`));

    await search(page, "Name", family.toLowerCase());
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(english.name);

    await search(page, "Name", japaneseFamily);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(japanese.name);

    await search(page, "User ID", english.userId);
    // The previous result (one row, dimmed while the new search runs) must not pass for this one.
    await expect(rows(page).first()).toContainText(english.name);
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole("table")).toHaveAttribute("aria-busy", "false");
    await expectAccessible(page);

    await rows(page).first().getByRole("link", { name: english.name }).click();
    await expect(page).toHaveURL(`/users/${encodeURIComponent(english.userId)}`);
    await expect(page.getByRole("heading", { name: english.name, level: 1 })).toBeVisible();
    await expect(page.getByTestId("user-id")).toHaveText(english.userId);
    await expect(page.getByRole("row", { name: /Username-Password-Authentication/ })).toContainText(
      "Database",
    );
    await expect(page.getByText("Last password reset")).toBeVisible();
    await expectAccessible(page);

    // Back returns to the search, with its state from the URL.
    await page.goBack();
    await expect(page.getByLabel("Search users")).toHaveValue(english.userId);
    await expect(page.getByLabel("Search in")).toHaveValue("userId");
  });

  test("pages, sorts and filters by connection, with back and forward", async ({ page }) => {
    await signIn(page, DEMO.admin);
    await page.goto("/users?perPage=10");
    await expect(rows(page)).toHaveCount(10);
    const firstOnPageOne = await rows(page).first().getByRole("link").textContent();

    await page.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByText(/Page 2 of/)).toBeVisible();
    await expect(rows(page).first().getByRole("link")).not.toHaveText(firstOnPageOne ?? "");
    await page.goBack();
    await expect(page).not.toHaveURL(/page=2/);
    await expect(rows(page).first().getByRole("link")).toHaveText(firstOnPageOne ?? "");
    await page.goForward();
    await expect(page).toHaveURL(/page=2/);

    await page.getByLabel("Sort by").selectOption({ label: "Most logins" });
    await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("logins_count:-1");
    await expect(page.getByText(/Page 1 of/)).toBeVisible();
    // The previous rows stay on screen while the next query loads: wait for the sorted ones.
    await expect
      .poll(async () => {
        const logins = (await rows(page).locator("td:nth-child(5)").allTextContents()).map(Number);
        return logins.length > 1 && logins.join() === [...logins].sort((a, b) => b - a).join();
      })
      .toBe(true);

    await page.getByLabel("Connection").selectOption("acme-saml");
    await expect(page).toHaveURL(/connection=acme-saml/);
    await expect(rows(page).first()).toContainText("Enterprise");
    await expect
      .poll(async () => {
        const connections = await rows(page).locator("td:nth-child(4)").allTextContents();
        return connections.length > 0 && connections.every((text) => text.includes("acme-saml"));
      })
      .toBe(true);
  });

  test("says when a search reaches Auth0's 1,000-result cap, and refuses pages past it", async ({ page }) => {
    await signIn(page, DEMO.admin);
    await page.goto("/users");
    await expect(page.getByText("This search matches more than 1,000 users")).toBeVisible();
    await page.goto("/users?perPage=25&page=41");
    await expect(searchAlert(page)).toContainText("only page through the first 1,000 results");
    await page.getByRole("link", { name: "Page 40 of 40" }).click();
    await expect(page).toHaveURL(/page=40/);
    await expect(rows(page)).toHaveCount(25);
  });

  test("hostile search text gets a result or a clear message, never a server error", async ({ page }) => {
    const failures: string[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/api/users") && response.status() >= 500)
        failures.push(`${response.status()} ${response.url()}`);
    });
    await signIn(page, DEMO.support);
    await page.goto("/users");
    const inputs = [
      '"',
      "'; DROP",
      "email:*",
      "*:*",
      "a OR b",
      "x) OR (y",
      "\\",
      "j*n?",
      "山田",
      "🦄🦄🦄",
      "a".repeat(2_000),
    ];
    for (const field of ["Email", "Name", "User ID", "Connection"]) {
      for (const text of inputs) {
        const status = await searchAndWait(page, field, text);
        expect(status, `${field}: ${text.slice(0, 20)}`).toBe(text.length > 256 ? 400 : 200);
        await expect(page.getByText(/\d+ users?|No users|too long/).first()).toBeVisible();
      }
    }
    await search(page, "Email", "a".repeat(2_000));
    await expect(searchAlert(page)).toContainText("The search text is too long");
    await search(page, "Lucene (advanced)", "name:(unclosed");
    await expect(searchAlert(page)).toContainText(/unclosed|could not read/);
    await search(page, "Lucene (advanced)", "logins_count:[x TO");
    await expect(searchAlert(page)).toBeVisible();
    expect(failures).toEqual([]);
  });

  test("profiles of social and enterprise users; an unknown id is not found", async ({ page }) => {
    const social = await findSeededUser("google-oauth2|");
    const enterprise = await findSeededUser("samlp|");
    await signIn(page, DEMO.auditor);

    await page.goto(`/users/${encodeURIComponent(social.userId)}`);
    await expect(page.getByRole("heading", { name: social.name, level: 1 })).toBeVisible();
    await expect(page.getByRole("row", { name: /google-oauth2/ }).first()).toContainText("Social");
    await expect(page.getByText(/No password to manage here/)).toBeVisible();

    await page.goto(`/users/${encodeURIComponent(enterprise.userId)}`);
    await expect(page.getByRole("heading", { name: enterprise.name, level: 1 })).toBeVisible();
    await expect(page.getByRole("row", { name: /samlp/ }).first()).toContainText("Enterprise");
    await page.getByText("App metadata").click();
    await expectAccessible(page);

    for (const id of ["auth0|does-not-exist", "not-a-user-id"]) {
      const response = await page.goto(`/users/${encodeURIComponent(id)}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "User not found" })).toBeVisible();
    }
  });

  test("an auditor can read users but the API still checks the session", async ({ page, request }) => {
    const anonymous = await request.get("/api/users?q=a");
    expect(anonymous.status()).toBe(401);
    await signIn(page, DEMO.auditor);
    await page.goto("/users");
    await expect(rows(page).first()).toBeVisible();
    const api = await page.request.get("/api/users?perPage=500");
    expect(api.status()).toBe(400);
    expect((await api.json()).error.code).toBe("invalid_params");
  });

  test("keyboard: / focuses search, arrows move through rows, Enter opens", async ({ page }) => {
    await signIn(page, DEMO.support);
    await page.goto("/users?perPage=10");
    await expect(rows(page)).toHaveCount(10);
    await page.locator("h1").click();
    await page.keyboard.press("/");
    await expect(page.getByLabel("Search users")).toBeFocused();
    await page.keyboard.press("ArrowDown");
    const links = rows(page).getByRole("link");
    await expect(links.nth(0)).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expect(links.nth(2)).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(links.nth(1)).toBeFocused();
    const href = await links.nth(1).getAttribute("href");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(href ?? "");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("works in Japanese", async ({ page, context }) => {
    await signIn(page, DEMO.support);
    await context.addCookies([{ name: "NEXT_LOCALE", value: "ja", url: page.url() }]);
    await page.goto("/users?q=%E5%B1%B1%E7%94%B0&field=name");
    await expect(page.getByRole("heading", { name: "ユーザー", level: 1 })).toBeVisible();
    await expect(page.getByLabel("検索対象")).toHaveValue("name");
    await expect(rows(page).first()).toContainText("山田");
    await expectAccessible(page);
  });

  test("a profile in Japanese on a phone (390×844) is no wider than the screen", async ({ page, context }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const user = await findSeededUser("auth0|");
    await signIn(page, DEMO.support);
    await context.addCookies([{ name: "NEXT_LOCALE", value: "ja", url: page.url() }]);
    await page.goto(`/users/${encodeURIComponent(user.userId)}`);
    await expect(page.getByRole("heading", { name: "ID プロバイダー" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
  });
});
