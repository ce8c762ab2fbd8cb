import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { DEMO, expect, signIn, test, uniqueEmail } from "./support/fixtures";
import { DATABASE_CONNECTION, deleteTestUsers, tenantClient, type TestUser } from "./support/tenant";

/**
 * The HTTP edge (issue 11, points 3, 6 and 10) against the production build in real Chromium:
 * security headers on every rendered path (also one that looks like a file), framing refused by
 * the browser, cross-origin server actions refused with 403, trusted headers that a client
 * cannot set (also under plain `next start`), and user pictures only from known avatar hosts.
 */

const users: TestUser[] = [];

/** A tenant user with a chosen id suffix and picture (the tenant, like Auth0, accepts user_id). */
async function createUser(input: { idSuffix: string; picture?: string }): Promise<TestUser> {
  const email = uniqueEmail("edge");
  const created = await tenantClient().users.create({
    connection: DATABASE_CONNECTION,
    email,
    password: `E2e-${Math.random().toString(36).slice(2)}-Aa1!`,
    name: "Edge Case",
    user_id: `${Math.random().toString(36).slice(2, 10)}${input.idSuffix}`,
    ...(input.picture ? { picture: input.picture } : {}),
    email_verified: true,
  });
  const user = { userId: created.user_id as string, email, name: "Edge Case" };
  users.push(user);
  return user;
}

test.afterAll(async () => {
  await deleteTestUsers(users);
});

/** Serves one HTML page on another local port (another origin, the same site). */
async function serveFramingPage(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test.describe("security headers", () => {
  test("a profile whose user id ends in .png gets the CSP and frame protection", async ({ page }) => {
    const user = await createUser({ idSuffix: ".png" });
    const profilePath = `/users/${encodeURIComponent(user.userId)}`;
    expect(profilePath).toMatch(/\.png$/);

    const signedOut = await page.request.get(profilePath, { maxRedirects: 0 });
    expect(signedOut.status()).toBe(307);
    expect(signedOut.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

    await signIn(page, DEMO.support);
    const response = await page.goto(profilePath);
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    await expect(page.getByRole("region", { name: "Danger Zone" })).toBeVisible();
  });

  test("a page on another local port cannot frame the profile with its Danger Zone", async ({ page, baseURL }) => {
    const user = await createUser({ idSuffix: ".png" });
    await signIn(page, DEMO.support);
    const target = `${baseURL}/users/${encodeURIComponent(user.userId)}`;
    const framing = await serveFramingPage(`<!doctype html><title>framer</title><iframe id="victim" src="${target}"></iframe>`);
    try {
      await page.goto(framing.url);
      const victim = page.frameLocator("#victim");
      // The browser refuses to render the response inside the frame: it shows its error page.
      await expect.poll(() => page.frames().find((frame) => frame !== page.mainFrame())?.url()).toBe("chrome-error://chromewebdata/");
      await expect(victim.getByRole("region", { name: "Danger Zone" })).toHaveCount(0);
    } finally {
      await framing.close();
    }
  });

  test("user pictures are allowed only from the known avatar hosts", async ({ page }) => {
    await signIn(page, DEMO.auditor);
    const response = await page.goto("/users");
    const csp = response?.headers()["content-security-policy"] ?? "";
    const imgSrc = csp.split(";").map((part) => part.trim()).find((part) => part.startsWith("img-src"));
    expect(imgSrc?.split(/\s+/)).toEqual(
      expect.arrayContaining(["img-src", "'self'", "data:", "https://cdn.auth0.com", "https://*.gravatar.com"]),
    );
    expect(imgSrc?.split(/\s+/)).not.toContain("https:");
  });

  test("a picture on an unknown host is never requested; the initial is shown instead", async ({ page }) => {
    const user = await createUser({ idSuffix: "-pic", picture: "https://tracker.evil.example/pixel.png" });
    const requested: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("evil.example")) requested.push(request.url());
    });
    await signIn(page, DEMO.support);
    await page.goto(`/users/${encodeURIComponent(user.userId)}`);
    await expect(page.getByRole("heading", { name: "Edge Case" })).toBeVisible();
    await expect(page.locator('img[src*="evil.example"]')).toHaveCount(0);
    await expect(page.locator("span[aria-hidden='true']", { hasText: /^E$/ }).first()).toBeVisible();
    expect(requested).toEqual([]);
  });
});

test.describe("server actions from another origin", () => {
  for (const [label, extra] of [
    ["a foreign Origin", {}],
    ["a foreign Origin with a matching X-Forwarded-Host", { "X-Forwarded-Host": "evil.example" }],
  ] as const) {
    test(`${label} is answered 403, not 500`, async ({ page }) => {
      await signIn(page, DEMO.support);
      const response = await page.request.post("/users", {
        headers: {
          "Next-Action": "7f00000000000000000000000000000000000000",
          Accept: "text/x-component",
          "Content-Type": "text/plain;charset=UTF-8",
          Origin: "http://evil.example",
          ...extra,
        },
        data: "[]",
        maxRedirects: 0,
      });
      expect(response.status()).toBe(403);
      expect(response.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    });
  }
});

test.describe("trusted headers", () => {
  test("behind scripts/server.ts a client-sent request id is replaced", async ({ page }) => {
    const response = await page.request.get("/api/users?q=x", { headers: { "X-Request-Id": "forged-request-id" } });
    expect(response.status()).toBe(401);
    const body = (await response.json()) as { error: { requestId: string } };
    expect(body.error.requestId).not.toBe("forged-request-id");
    expect(response.headers()["x-request-id"]).toBe(body.error.requestId);
  });

  test("under plain `next start` (no custom server in front) a client-sent request id is replaced too", async () => {
    test.slow();
    const port = await freePort();
    const child: ChildProcess = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "passdesk-next-start-")),
        PORT: String(port),
        TENANT_PORT: process.env.E2E_TENANT_PORT ?? "4543",
        LOG_LEVEL: "silent",
      },
      stdio: "ignore",
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      // Ready once it answers at all (a route that needs no database: this data directory is empty).
      await expect.poll(async () => (await fetch(`${base}/api/users?q=x`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(401);
      const response = await fetch(`${base}/api/users?q=x`, {
        headers: { "X-Request-Id": "forged-request-id", "X-Passdesk-Client-Ip": "192.0.2.66" },
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { requestId: string } };
      expect(body.error.requestId).not.toBe("forged-request-id");
      expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get("x-request-id")).toBe(body.error.requestId);
    } finally {
      child.kill("SIGTERM");
    }
  });
});

test.describe("one log line per route call", () => {
  /** The server's log lines (playwright.config.ts tees them to the data directory). */
  function serverLogLines(): Record<string, unknown>[] {
    const file = path.join(process.env.PASSDESK_E2E_DATA_DIR ?? "", "server.log");
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  for (const [route, url] of [
    ["GET /api/audit/events", "/api/audit/events?limit=1"],
    ["GET /api/audit/events/[sequence]", "/api/audit/events/999999999"],
  ] as const) {
    test(`${route} logs its call with the request id, like every other route`, async ({ page }) => {
      await signIn(page, DEMO.auditor);
      const response = await page.request.get(url);
      expect(response.status()).toBeLessThan(500);
      const requestId = response.headers()["x-request-id"];
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      await expect
        .poll(() => serverLogLines().filter((line) => line.requestId === requestId && line.msg === "route handler"))
        .toEqual([expect.objectContaining({ route, outcome: response.status(), operatorId: expect.any(String) })]);
    });
  }
});

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
