import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { encode } from "next-auth/jwt";
import type { APIRequestContext, Browser } from "@playwright/test";
import { DEMO, createOperatorAsAdmin, expect, expectAccessible, signIn, signOut, test, uniqueEmail, uniqueTestIp } from "./support/fixtures";

/** One credential post the way next-auth's signIn() sends it; says what the server decided. */
async function postCredentials(request: APIRequestContext, csrfToken: string, email: string, password: string) {
  const response = await request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, json: "true", callbackUrl: "/" },
    maxRedirects: 0,
  });
  const body = (await response.json()) as { url?: string };
  const error = new URL(body.url ?? "http://x/?error=none").searchParams.get("error");
  return error === "CredentialsSignin" ? "invalid" : error === "throttled" || error === "slowed" ? "throttled" : error ? `error:${error}` : "signed-in";
}

async function apiClientFrom(browser: Browser, ip: string) {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": ip } });
  const csrf = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return { context, request: context.request, csrfToken: csrf.csrfToken };
}

test.describe("sign-in", () => {
  test("a signed-out visitor is sent to the sign-in page, then back after signing in", async ({ page }) => {
    await page.goto("/operators");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Foperators/);
    await expect(page.getByRole("heading", { name: "Sign in to Passdesk" })).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("Email").fill(DEMO.admin);
    await page.getByLabel("Password").fill("passdesk-demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/operators$/);
    await expect(page.getByRole("heading", { name: "Operators" })).toBeVisible();
  });

  test("admin signs in and sees the app shell with every section", async ({ page }) => {
    await signIn(page, DEMO.admin);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Users" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Audit log" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Operators" })).toBeVisible();
    await expect(page.getByText("localhost:", { exact: false }).first()).toBeVisible();
    await expectAccessible(page);
  });

  test("wrong password and unknown email get the same message", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(DEMO.admin);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error")).toHaveText("Wrong email or password.");
    await page.getByLabel("Email").fill(uniqueEmail("nobody"));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("more than ten failures for one account are refused, even with the right password", async ({ page }) => {
    await signIn(page, DEMO.admin);
    const email = uniqueEmail("throttled");
    const password = await createOperatorAsAdmin(page, { email, name: "Throttle Target", role: "Support" });
    await signOut(page);
    test.slow(); // ten argon2 checks, possibly queued behind the burst test in the other worker
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(`wrong-${attempt}`);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.locator("#sign-in-error")).toHaveText("Wrong email or password.", { timeout: 30_000 });
    }
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error")).toHaveText("Too many failed sign-ins. Try again in 15 minutes.");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("40 simultaneous wrong-password posts for one account from one IP: at most 10 reach the password check", async ({ browser, page }) => {
    test.slow(); // 40 sign-in posts plus an operator created through the UI
    await signIn(page, DEMO.admin);
    const email = uniqueEmail("burst");
    const password = await createOperatorAsAdmin(page, { email, name: "Burst Target", role: "Support" });
    const attacker = await apiClientFrom(browser, uniqueTestIp());
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        postCredentials(attacker.request, attacker.csrfToken, email, index === 39 ? password : `wrong-${index}`),
      ),
    );
    const admitted = results.filter((result) => result === "invalid" || result === "signed-in").length;
    const throttled = results.filter((result) => result === "throttled").length;
    expect({ admitted, throttled }).toEqual({ admitted: 10, throttled: 30 });
    // Once the limit is reached the right password from that IP is refused too.
    expect(await postCredentials(attacker.request, attacker.csrfToken, email, password)).toBe("throttled");
    await attacker.context.close();
  });

  test("an attacker's failures from another IP do not lock the owner out", async ({ browser, page }) => {
    test.slow(); // 13 sequential argon2 checks plus an operator created through the UI
    await signIn(page, DEMO.admin);
    const email = uniqueEmail("owner");
    const password = await createOperatorAsAdmin(page, { email, name: "Owner", role: "Auditor" });
    const attacker = await apiClientFrom(browser, uniqueTestIp());
    for (let attempt = 0; attempt < 12; attempt += 1) {
      await postCredentials(attacker.request, attacker.csrfToken, email, `wrong-${attempt}`);
    }
    expect(await postCredentials(attacker.request, attacker.csrfToken, email, password)).toBe("throttled");
    const owner = await apiClientFrom(browser, uniqueTestIp());
    // The account is slowed (a few seconds after the last failure), never locked: the owner gets in.
    await expect.poll(() => postCredentials(owner.request, owner.csrfToken, email, password), { timeout: 20_000, intervals: [1_000] }).toBe("signed-in");
    await attacker.context.close();
    await owner.context.close();
  });

  for (const callbackUrl of ["/%5Cevil.example/phish", "/%09/evil.example/phish", "/%5C%5Cevil.example/phish"]) {
    test(`callbackUrl=${callbackUrl} stays on Passdesk after signing in`, async ({ page, baseURL }) => {
      await page.route((url) => url.hostname.endsWith("evil.example"), (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>phished</h1>" }));
      await page.goto(`/sign-in?callbackUrl=${callbackUrl}`);
      await page.getByLabel("Email").fill(DEMO.auditor);
      await page.getByLabel("Password").fill("passdesk-demo");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByRole("button", { name: /^Account menu:/ })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(new URL(baseURL ?? "").origin);
    });
  }

  test("a session cookie copied before sign-out no longer works after it", async ({ browser, page, context, clientIp }) => {
    await signIn(page, DEMO.auditor);
    const copied = await context.cookies();
    await signOut(page);
    const thief = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": clientIp } });
    await thief.addCookies(copied);
    const thiefPage = await thief.newPage();
    await thiefPage.goto("/users");
    await expect(thiefPage).toHaveURL(/\/sign-in/);
    expect(await (await thief.request.get("/api/auth/session")).json()).toEqual({});
    expect((await thief.request.get("/api/users?q=a")).status()).toBe(401);
    await thief.close();
  });

  test("a cookie signed with the old fixed demo secret is not accepted", async ({ browser, page, clientIp }) => {
    await signIn(page, DEMO.admin);
    const session = (await (await page.request.get("/api/auth/session")).json()) as { user: { id: string } };
    const forged = await encode({
      token: { sub: session.user.id, email: DEMO.admin, name: "Demo Admin" },
      secret: "passdesk-demo-session-secret-do-not-use-in-production",
    });
    const attacker = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": clientIp } });
    await attacker.addCookies([{ name: "next-auth.session-token", value: forged, url: page.url(), httpOnly: true, sameSite: "Lax" }]);
    expect(await (await attacker.request.get("/api/auth/session")).json()).toEqual({});
    const attackerPage = await attacker.newPage();
    await attackerPage.goto("/operators");
    await expect(attackerPage).toHaveURL(/\/sign-in/);
    await attacker.close();
  });

  test("signing out is recorded in the audit log as operator.sign_out", async ({ browser, page }) => {
    await signIn(page, DEMO.admin);
    const email = uniqueEmail("signout");
    const password = await createOperatorAsAdmin(page, { email, name: "Signs Out", role: "Auditor" });
    const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": uniqueTestIp() } });
    const operatorPage = await context.newPage();
    await signIn(operatorPage, email, password);
    await signOut(operatorPage);
    await context.close();
    const response = await page.request.get(`/api/audit/events?action=operator.sign_out&actor=${encodeURIComponent(email)}`);
    expect(response.status()).toBe(200);
    const { events } = (await response.json()) as { events: { action: string; actorEmail: string | null; targetEmail: string | null; outcome: string }[] };
    expect(events.map(({ action, actorEmail, targetEmail, outcome }) => ({ action, actorEmail, targetEmail, outcome }))).toEqual([
      { action: "operator.sign_out", actorEmail: email, targetEmail: email, outcome: "SUCCEEDED" },
    ]);
  });

  test("demo mode listens on loopback only", async ({ baseURL }) => {
    const port = Number(new URL(baseURL ?? "").port);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === "IPv4" && !address.internal)?.address;
    test.skip(!external, "this machine has no non-loopback IPv4 address to try");
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: external, port }, () => {
        socket.destroy();
        resolve("connected");
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    expect(outcome).toBe("ECONNREFUSED");
  });

  test("sign-out ends the session", async ({ page }) => {
    await signIn(page, DEMO.auditor);
    await signOut(page);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a malformed credential post is a 400, not a redirect or a stack trace", async ({ request }) => {
    const response = await request.post("/api/auth/callback/credentials", {
      form: { email: "admin@passdesk.test" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(400);
    expect(await response.text()).not.toContain("at ");
  });
});

test.describe("roles", () => {
  test("support sees Users and Audit log but not Operators, and /operators is a 403 page", async ({ page }) => {
    await signIn(page, DEMO.support);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Users" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Audit log" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Operators" })).toHaveCount(0);
    const response = await page.goto("/operators");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    await expectAccessible(page);
  });

  test("auditor navigation", async ({ page }) => {
    await signIn(page, DEMO.auditor);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Users" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Operators" })).toHaveCount(0);
  });

  test("disabling an operator ends their access at once; a role change ends their sessions", async ({ browser }) => {
    const adminPage = await (await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.19.1.1" } })).newPage();
    await signIn(adminPage, DEMO.admin);
    const email = uniqueEmail("disabled");
    const password = await createOperatorAsAdmin(adminPage, { email, name: "Soon Disabled", role: "Auditor" });

    const userPage = await (await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.19.1.2" } })).newPage();
    await signIn(userPage, email, password);
    await expect(userPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Operators" })).toHaveCount(0);

    const row = adminPage.getByRole("row", { name: new RegExp(email) });
    await row.getByLabel(`Change role for ${email}`).selectOption({ label: "Admin" });
    await expect(row.getByText("Saved.")).toBeVisible();
    // A role change ends the operator's sessions; signing in again gives the new role.
    await userPage.reload();
    await expect(userPage).toHaveURL(/\/sign-in/);
    await signIn(userPage, email, password);
    await expect(userPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Operators" })).toBeVisible();

    adminPage.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Disable", exact: true }).click();
    await expect(row.getByRole("cell", { name: "Disabled", exact: true })).toBeVisible();
    await userPage.reload();
    await expect(userPage).toHaveURL(/\/sign-in/);
  });

  test("an admin cannot disable or demote themself", async ({ page }) => {
    await signIn(page, DEMO.admin);
    await page.goto("/operators");
    const row = page.getByRole("row", { name: new RegExp(DEMO.admin) });
    await expect(row.getByRole("button", { name: "Disable", exact: true })).toHaveCount(0);
    await expectAccessible(page);
  });
});

test("language switch shows the app in Japanese and back", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Language").selectOption("ja");
  await expect(page.getByRole("heading", { name: "Passdesk にサインイン" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expectAccessible(page);
  await page.getByLabel("言語").selectOption("en");
  await expect(page.getByRole("heading", { name: "Sign in to Passdesk" })).toBeVisible();
});

test("pages carry a nonce-based CSP and the other security headers, and scripts still run", async ({ page }) => {
  const response = await page.goto("/sign-in");
  const headers = response?.headers() ?? {};
  const csp = headers["content-security-policy"] ?? "";
  const scriptSrc = csp.split(";").find((part) => part.trim().startsWith("script-src")) ?? "";
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["permissions-policy"]).toContain("camera=()");
  // Hydrated React (which needs the nonce) handles the language switch without a reload.
  await page.getByLabel("Language").selectOption("ja");
  await expect(page.getByRole("heading", { name: "Passdesk にサインイン" })).toBeVisible();
  const second = await page.request.get("/sign-in");
  expect(second.headers()["content-security-policy"]).not.toBe(csp);
});

test("session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await signIn(page, DEMO.auditor);
  const cookie = (await context.cookies()).find((candidate) => candidate.name.endsWith("next-auth.session-token"));
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
});
