import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { DEMO, createOperatorAsAdmin, expect, expectAccessible, signIn, signOut, test, uniqueEmail, uniqueTestIp } from "./support/fixtures";

/**
 * Operator MFA in Chromium: TOTP enrolment and sign-in with codes computed here from the secret
 * the page shows, recovery codes that work once, forced enrolment, and a passkey on Chromium's
 * virtual authenticator (DevTools protocol). Each test makes its own operator.
 */

function totpFor(secret: string): TOTP {
  return new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

/** A code for the next 30-second step: valid now (one step of drift is allowed) and never used yet. */
function nextCode(secret: string, stepsAhead = 1): string {
  return totpFor(secret).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": uniqueTestIp() } });
  return context.newPage();
}

async function adminPage(browser: Browser): Promise<Page> {
  const page = await newPage(browser);
  await signIn(page, DEMO.admin);
  return page;
}

async function passwordStep(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function expectSignedIn(page: Page): Promise<void> {
  await page.waitForURL((url) => url.pathname !== "/sign-in" && url.pathname !== "/");
  await expect(page.getByRole("button", { name: /^Account menu:/ })).toBeVisible();
}

/** Enrols the authenticator app on /security; returns the secret shown and the recovery codes. */
async function enrolTotp(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto("/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = await page.getByLabel("Secret key").inputValue();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Code from the app").fill(totpFor(secret).generate());
  await page.getByRole("button", { name: "Turn on" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const recoveryCodes = await list.getByRole("listitem").allInnerTexts();
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByText("On: sign-in asks for a code from your app.")).toBeVisible();
  return { secret, recoveryCodes };
}

async function auditEvents(request: APIRequestContext, action: string): Promise<{ targetEmail: string | null; outcome: string; details: Record<string, unknown> }[]> {
  const response = await request.get(`/api/audit/events?action=${action}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { events: { targetEmail: string | null; outcome: string; details: Record<string, unknown> }[] }).events;
}

test("TOTP: enrol with the code from the secret shown, sign in with a code, a replayed code and a reused recovery code are refused", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await adminPage(browser);
  const email = uniqueEmail("mfa-totp");
  const password = await createOperatorAsAdmin(admin, { email, name: "MFA Totp", role: "Support" });

  const page = await newPage(browser);
  await signIn(page, email, password);
  const { secret, recoveryCodes } = await enrolTotp(page);
  await signOut(page);

  // Password alone no longer signs in: the second step asks for the code.
  await passwordStep(page, email, password);
  await expect(page.getByLabel("Authentication code")).toBeFocused();
  await expectAccessible(page);
  const code = nextCode(secret);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expectSignedIn(page);
  await signOut(page);

  // The same code again: refused, nothing signed in.
  await passwordStep(page, email, password);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code was already used. Wait for the next code." })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  // A recovery code works once.
  const recovery = recoveryCodes[0] as string;
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recovery);
  await page.getByRole("button", { name: "Verify" }).click();
  await expectSignedIn(page);
  await signOut(page);
  await passwordStep(page, email, password);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recovery);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right. Check your app and try again." })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  // Audited: enrolment, the recovery code's use, the refused replay, sign-ins with their method.
  const enrolled = (await auditEvents(admin.request, "operator.mfa_enrolled")).filter((event) => event.targetEmail === email);
  expect(enrolled.map((event) => event.details.factor)).toEqual(["totp"]);
  const used = (await auditEvents(admin.request, "operator.recovery_code_used")).filter((event) => event.targetEmail === email);
  expect(used.map((event) => event.details.recoveryCodesLeft)).toEqual([9]);
  const failed = (await auditEvents(admin.request, "operator.sign_in_failed")).filter((event) => event.targetEmail === email);
  expect(failed.map((event) => event.details.failureReason).sort()).toEqual(["bad_second_factor", "replayed_code"]);
  const signIns = (await auditEvents(admin.request, "operator.sign_in")).filter((event) => event.targetEmail === email);
  expect(signIns.map((event) => event.details.method).sort()).toEqual(["password", "password+recovery_code", "password+totp"]);
});

test("an operator an admin requires MFA for must enrol before reaching any page; an admin reset ends their sessions", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await adminPage(browser);
  const email = uniqueEmail("mfa-forced");
  const password = await createOperatorAsAdmin(admin, { email, name: "MFA Forced", role: "Admin" });
  await admin.goto("/operators");
  const row = admin.getByRole("row", { name: new RegExp(email) });
  await row.getByRole("checkbox", { name: "Require MFA" }).check();
  await expect(row.getByText("required", { exact: true })).toBeVisible();

  const page = await newPage(browser);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/security/);
  await expect(page.getByRole("alert").filter({ hasText: "Your account must use two-step verification." })).toBeVisible();
  await page.goto("/users");
  await expect(page).toHaveURL(/\/security/);
  await page.goto("/operators");
  await expect(page).toHaveURL(/\/security/);
  // The server refuses its API too, not only its pages.
  const refused = await page.request.get("/api/users?q=x");
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("mfa_enrolment_required");

  await enrolTotp(page);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/users/);

  // The admin resets their MFA: the operator's session ends at once.
  await admin.goto("/operators");
  admin.once("dialog", (dialog) => void dialog.accept());
  await admin.getByRole("row", { name: new RegExp(email) }).getByRole("button", { name: "Reset MFA" }).click();
  await expect(admin.getByRole("row", { name: new RegExp(email) }).getByText("Off", { exact: true })).toBeVisible();
  await page.goto("/users");
  await expect(page).toHaveURL(/\/sign-in/);
  const resets = (await auditEvents(admin.request, "operator.mfa_reset")).filter((event) => event.targetEmail === email);
  expect(resets).toHaveLength(1);
  expect(resets[0]?.details.sessionsEnded).toBe(1);
});

test("a passkey registered on Chromium's virtual authenticator signs in without a password", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await adminPage(browser);
  const email = uniqueEmail("mfa-passkey");
  const password = await createOperatorAsAdmin(admin, { email, name: "MFA Passkey", role: "Auditor" });

  const page = await newPage(browser);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await signIn(page, email, password);
  await page.goto("/security");
  await page.getByLabel("Passkey name").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey added.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Your passkeys" }).getByText("Test laptop")).toBeVisible();
  // The first factor also brings recovery codes.
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await signOut(page);

  await page.getByRole("button", { name: "Use a passkey instead" }).click();
  await expectSignedIn(page);
  await page.goto("/security");
  await expect(page.getByRole("row", { name: /This session/ })).toContainText("passkey");
  await expectAccessible(page);
  // The phone layout: every section and the session list stay reachable.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("button", { name: "Set up authenticator app" })).toBeVisible();
  await expect(page.getByRole("button", { name: "End all other sessions" })).toBeVisible();

  const signIns = (await auditEvents(admin.request, "operator.sign_in")).filter((event) => event.targetEmail === email);
  expect(signIns.map((event) => event.details.method).sort()).toEqual(["passkey", "password"]);
});
