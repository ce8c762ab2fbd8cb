import type { Page } from "@playwright/test";
import { DEMO, expect, signIn, test } from "./support/fixtures";
import {
  createRegionUser,
  deleteTestUsers,
  regionOf,
  tenantClient,
  uniqueMarker,
  type TestUser,
} from "./support/tenant";

/**
 * Scoped operators (issue 16), reads: what a scoped support operator finds, opens and is told.
 * Every expectation about who is in scope comes from the tenant (app_metadata.region as stored,
 * the organization's members endpoint), never from Passdesk's own answer.
 */

/** The user ids the table links to (each row's profile link). */
async function listedUserIds(page: Page): Promise<string[]> {
  const hrefs = await page
    .getByRole("table")
    .getByRole("link")
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  return hrefs
    .filter((href) => href.startsWith("/users/"))
    .map((href) => decodeURIComponent(href.slice("/users/".length)));
}

/** Every user id /api/users gives this operator, all pages (as the table's search-as-you-type reads it). */
async function allSearchIds(page: Page): Promise<string[]> {
  const ids: string[] = [];
  for (let number = 1; ; number++) {
    const response = await page.request.get(`/api/users?perPage=100&page=${number}`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { users: { userId: string }[] };
    ids.push(...body.users.map((user) => user.userId));
    if (body.users.length < 100) return ids;
  }
}

test.describe("scoped operators: reads", () => {
  const created: TestUser[] = [];
  test.afterAll(async () => {
    await deleteTestUsers(created);
  });

  test("EU-scoped support finds EU users only; a US user is not found, by search, URL or API", async ({
    page,
  }) => {
    const marker = uniqueMarker("sc");
    const eu = await createRegionUser(marker, "eu");
    const us = await createRegionUser(marker, "us");
    created.push(eu, us);
    expect([await regionOf(eu.userId), await regionOf(us.userId)]).toEqual(["eu", "us"]);

    await signIn(page, DEMO.euSupport);
    await page.goto("/users");
    await expect(page.getByTestId("scope-badge")).toContainText("Scope: region eu");

    // The unfiltered list: every row is region eu according to the tenant.
    await expect(page.getByRole("table").getByRole("link").first()).toBeVisible();
    const listed = await listedUserIds(page);
    expect(listed.length).toBeGreaterThan(5);
    for (const id of listed) expect(await regionOf(id)).toBe("eu");

    // The marker matches both test users; only the EU one is found.
    await page.getByLabel("Search users").fill(marker);
    await expect(page.getByRole("table").getByRole("link", { name: eu.name })).toBeVisible();
    await expect(page.getByRole("table").getByRole("link", { name: us.name })).toHaveCount(0);
    expect(await listedUserIds(page)).toEqual([eu.userId]);

    // A seeded US user by email: nothing.
    await page.getByLabel("Search users").fill("blocked.demo@example.com");
    await expect(page.getByText("No users found", { exact: true })).toBeVisible();
    await expect(page.getByRole("table").getByRole("link")).toHaveCount(0);

    // Opened by URL: the same not-found page a user id that does not exist gets.
    await page.goto(`/users/${encodeURIComponent(us.userId)}`);
    await expect(page.getByRole("heading", { name: "User not found", level: 1 })).toBeVisible();
    await expect(page.getByText(us.email)).toHaveCount(0);
    await page.goto(`/users/${encodeURIComponent(eu.userId)}`);
    await expect(page.getByRole("heading", { name: eu.name, level: 1 })).toBeVisible();

    // The APIs: the same 404 as for a missing user.
    const missing = "auth0|000000000000000000000000";
    for (const path of ["", "/timeline"]) {
      const outOfScope = await page.request.get(`/api/users/${encodeURIComponent(us.userId)}${path}`);
      const nonexistent = await page.request.get(`/api/users/${encodeURIComponent(missing)}${path}`);
      expect([outOfScope.status(), nonexistent.status()]).toEqual([404, 404]);
      type ErrorBody = { error: { code: string; message: string } };
      const [a, b] = [(await outOfScope.json()) as ErrorBody, (await nonexistent.json()) as ErrorBody];
      expect([a.error.code, a.error.message]).toEqual([b.error.code, b.error.message]);
      expect(a.error.code).toBe("not_found");
      expect((await page.request.get(`/api/users/${encodeURIComponent(eu.userId)}${path}`)).status()).toBe(
        200,
      );
    }
    const search = await page.request.get(`/api/users?q=${encodeURIComponent(marker)}`);
    expect(
      ((await search.json()) as { users: { userId: string }[] }).users.map((user) => user.userId),
    ).toEqual([eu.userId]);
  });

  test("acme-scoped support sees exactly acme's members, as the tenant lists them", async ({ page }) => {
    const organizations = await tenantClient().organizations.list({ take: 50 });
    const acme = organizations.data.find((organization) => organization.name === "acme");
    if (!acme?.id) throw new Error("the tenant has no acme");
    const members: string[] = [];
    let membersPage = await tenantClient().organizations.members.list(acme.id, { take: 100 });
    members.push(...membersPage.data.map((member) => member.user_id ?? ""));
    while (membersPage.hasNextPage()) {
      membersPage = await membersPage.getNextPage();
      members.push(...membersPage.data.map((member) => member.user_id ?? ""));
    }
    expect(members.length).toBeGreaterThan(10);

    await signIn(page, DEMO.acmeSupport);
    await page.goto("/users");
    await expect(page.getByTestId("scope-badge")).toContainText("Scope: Acme Corporation");
    await expect(page.getByRole("table").getByRole("link").first()).toBeVisible();
    for (const id of await listedUserIds(page)) expect(members).toContain(id);
    expect((await allSearchIds(page)).sort()).toEqual([...members].sort());

    // A non-member by URL: not found.
    // (The seed draws memberships; the first listed user the tenant does not name as a member.)
    const outsider = (await tenantClient().users.list({ per_page: 100, page: 0 })).data
      .map((user) => user.user_id ?? "")
      .find((id) => id !== "" && !members.includes(id));
    if (!outsider) throw new Error("every listed user is an acme member");
    await page.goto(`/users/${encodeURIComponent(outsider)}`);
    await expect(page.getByRole("heading", { name: "User not found", level: 1 })).toBeVisible();
  });

  test("the header shows the scope, with its long form, at 390×844 too", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, DEMO.euSupport);
    await page.goto("/users");
    const badge = page.getByTestId("scope-badge");
    await expect(badge).toContainText("Scope: region eu");
    // The badge is a native disclosure: its summary takes the focus and Enter opens it.
    await badge.locator("summary").focus();
    await page.keyboard.press("Enter");
    await expect(badge.getByText('app_metadata.region:"eu"')).toBeVisible();
    for (const box of [
      await badge.boundingBox(),
      await badge.getByText("Your scope", { exact: true }).boundingBox(),
    ]) {
      expect(box).not.toBeNull();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390).toBe(true);
    }
    await page.screenshot({ path: test.info().outputPath("scope-390x844.png"), fullPage: false });
    // An unscoped operator has no badge.
    await page.context().clearCookies();
    await signIn(page, DEMO.support);
    await page.goto("/users");
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
    await expect(page.getByTestId("scope-badge")).toHaveCount(0);
  });
});
