import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { ROLES, type Role } from "../lib/auth/permissions";
import {
  createOperatorAsAdmin,
  DEMO,
  expect,
  signIn,
  test,
  testPassword,
  uniqueEmail,
} from "./support/fixtures";
import { tenantStats } from "./support/tenant-control";
import {
  createTestUser,
  DATABASE_CONNECTION,
  deleteTestUsers,
  tenantClient,
  type TestUser,
} from "./support/tenant";

/**
 * The authorization matrix, generated from the code: every server action in the production build
 * (its server-reference manifest) and every route handler under app/api is called directly over
 * HTTP as a signed-out visitor, an auditor, support and an admin, and must allow or refuse exactly
 * as the permission table says. Allowed calls carry invalid input, so nothing changes either way;
 * refused calls must not reach Auth0 (the tenant's request counter does not move).
 */
const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, process.env.PASSDESK_DIST_DIR || ".next");
/**
 * The expected permission table, written out here (docs/architecture.md "Permissions", with the
 * e2e server's SUPPORT_CAN_SET_PASSWORD=true) — not read from lib/auth/permissions.ts, so a wrong
 * entry there fails this test instead of being copied into it.
 */
const EXPECTED: Record<string, readonly Role[]> = {
  "users:read": ["ADMIN", "SUPPORT", "AUDITOR"],
  "password:reset-email": ["ADMIN", "SUPPORT"],
  "password:ticket": ["ADMIN", "SUPPORT"],
  "password:set": ["ADMIN", "SUPPORT"],
  "audit:read": ["ADMIN", "AUDITOR"],
  "audit:read-own": ["SUPPORT"],
  "audit:export": ["ADMIN", "AUDITOR"],
  "operators:manage": ["ADMIN"],
  "self:security": ["ADMIN", "SUPPORT", "AUDITOR"],
  "bulk:run": ["ADMIN"],
  "approvals:decide": ["ADMIN"],
  "account:unblock": ["ADMIN", "SUPPORT"],
  "account:block": ["ADMIN"],
  "sessions:revoke": ["ADMIN", "SUPPORT"],
  "email:verify": ["ADMIN", "SUPPORT"],
  "mfa:reset": ["ADMIN", "SUPPORT"],
};
/**
 * Permissions that need a recent authentication (step-up), written out like EXPECTED: each of
 * their actions and routes is also called with a stale session and must answer step_up_required.
 */
const STEP_UP: ReadonlySet<string> = new Set([
  "password:set",
  "password:reset-email",
  "password:ticket",
  "operators:manage",
  "audit:export",
  "mfa:reset",
  "account:block",
  "bulk:run",
  "approvals:decide",
]);
/** The e2e server's STEP_UP_STALE_EMAIL_SUFFIX: these operators' sign-in is never fresh (until they step up). */
const STALE_SUFFIX = "@stale.e2e.passdesk.test";
/** Audit views open to whoever may read the whole log or their own part of it. */
const AUDIT_READERS: readonly Role[] = ["ADMIN", "SUPPORT", "AUDITOR"];
/** Permissions named by an action or route that the expected table above does not list. */
const unknownPermissions = new Set<string>();
const ACCOUNTS: Record<Role, string> = { ADMIN: DEMO.admin, SUPPORT: DEMO.support, AUDITOR: DEMO.auditor };
const PUBLIC_ROUTES = new Set(["api/auth/[...nextauth]", "api/auth/passkey-options", "api/health"]);

type Rule = { label: string; allows: (role: Role) => boolean };
type ActionEntry = { id: string; name: string; file: string; page: string; rule: Rule };
type RouteEntry = { route: string; url: string; methods: string[]; rule: Rule };
/** The permission an action or route names (null for the audit-read rule, which never steps up). */
function stepsUp(rule: Rule): boolean {
  return STEP_UP.has(rule.label);
}

function permissionRule(permission: string): Rule {
  const allowed = EXPECTED[permission];
  if (!allowed) unknownPermissions.add(permission);
  return { label: permission, allows: (role) => allowed?.includes(role) ?? false };
}

/** `export const { fooAction } = defineActions({ fooAction: action("perm", …) })` in lib/actions/*.ts. */
function actionPermissions(): Map<string, Rule> {
  const rules = new Map<string, Rule>();
  const directory = path.join(ROOT, "lib", "actions");
  for (const file of readdirSync(directory)) {
    const source = readFileSync(path.join(directory, file), "utf8");
    for (const match of source.matchAll(
      /export const \{ (\w+) \} = defineActions\(\{ \1: action\(\s*"([^"]+)"/g,
    )) {
      rules.set(`lib/actions/${file}#${match[1]}`, permissionRule(match[2] as string));
    }
  }
  return rules;
}

function pagePathOf(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((segment) => segment && !/^\(.*\)$/.test(segment))
    .map((segment) => (segment.startsWith("[") ? "auth0%7Cmatrix-probe" : segment));
  return `/${segments.join("/")}`;
}

function discoverActions(): ActionEntry[] {
  const manifest = JSON.parse(
    readFileSync(path.join(DIST, "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  const rules = actionPermissions();
  return Object.entries(manifest.node).map(([id, entry]) => {
    const key = `${entry.filename}#${entry.exportedName}`;
    const rule = rules.get(key);
    if (!rule)
      throw new Error(
        `Server action ${key} is not defined with defineActions({ name: action("permission", …) }) in lib/actions/`,
      );
    const worker = Object.keys(entry.workers)[0] ?? "app/page";
    return { id, name: entry.exportedName ?? id, file: entry.filename ?? "", page: pagePathOf(worker), rule };
  });
}

function filesBelow(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    return statSync(full).isDirectory() ? filesBelow(full) : [full];
  });
}

function discoverRoutes(): RouteEntry[] {
  return filesBelow(path.join(ROOT, "app", "api"))
    .filter((file) => file.endsWith("route.ts"))
    .map((file) => {
      const route = path.relative(path.join(ROOT, "app"), path.dirname(file));
      if (PUBLIC_ROUTES.has(route)) return null;
      const source = readFileSync(file, "utf8");
      const methods = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map(
        (match) => match[1] as string,
      );
      const permission = /defineRoute(?:<[^>]*>)?\(\s*"([^"]+)"/.exec(source)?.[1];
      let rule: Rule;
      if (permission) rule = permissionRule(permission);
      else if (/defineAuditReadRoute(?:<[^>]*>)?\(/.test(source))
        rule = { label: "audit:read or audit:read-own", allows: (role) => AUDIT_READERS.includes(role) };
      else
        throw new Error(`Route ${route} is neither public nor guarded by defineRoute/defineAuditReadRoute`);
      if (methods.length === 0) throw new Error(`Route ${route} exports no method the matrix knows`);
      const url = `/${route
        .split("/")
        .map((segment) => (segment.startsWith("[") ? "1" : segment))
        .join("/")}`;
      return { route, url, methods, rule };
    })
    .filter((entry): entry is RouteEntry => entry !== null);
}

async function callAction(
  request: APIRequestContext,
  action: ActionEntry,
  baseURL: string,
  origin = baseURL,
) {
  const response = await request.post(action.page, {
    headers: {
      "Next-Action": action.id,
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
      Origin: origin,
    },
    data: JSON.stringify([{}]),
    maxRedirects: 0,
  });
  return { status: response.status(), body: await response.text() };
}

test.describe.configure({ mode: "serial" });

test("every server action and route handler allows or refuses exactly as the permission table says", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  expect(existsSync(DIST), "run `next build` first").toBe(true);
  const actions = discoverActions();
  const routes = discoverRoutes();
  const base = baseURL ?? "http://localhost:3100";
  let calls = 0;
  const before = await tenantStats();

  for (const role of [null, ...ROLES] as const) {
    const context = await browser.newContext({
      extraHTTPHeaders: { "X-Forwarded-For": `198.18.200.${role ? ROLES.indexOf(role) + 2 : 1}` },
    });
    const page = await context.newPage();
    if (role) await signIn(page, ACCOUNTS[role]);
    const who = role ?? "signed-out";

    for (const action of actions) {
      const { status, body } = await callAction(page.request, action, base);
      calls += 1;
      const where = `${who} → ${action.name} (${action.rule.label})`;
      if (!role) {
        // The proxy sends signed-out visitors away before any action runs, or the action says so.
        expect(status === 307 || body.includes('"code":"unauthenticated"'), where).toBe(true);
      } else if (action.rule.allows(role)) {
        expect(body, where).toContain('"code":"invalid"');
      } else {
        expect(body, where).toContain('"code":"forbidden"');
      }
    }

    for (const route of routes) {
      for (const method of route.methods) {
        const response = await page.request.fetch(route.url, { method, maxRedirects: 0 });
        calls += 1;
        const where = `${who} → ${method} /${route.route} (${route.rule.label})`;
        if (!role) expect(response.status(), where).toBe(401);
        else if (route.rule.allows(role)) expect([401, 403], where).not.toContain(response.status());
        else expect(response.status(), where).toBe(403);
        expect(response.status(), where).toBeLessThan(500);
      }
    }
    await context.close();
  }

  // Refused calls and invalid input never reached the tenant's write endpoints.
  const after = await tenantStats();
  expect(after.writes, "no write reached the tenant").toBe(before.writes);
  console.log(
    `[authorization matrix] ${actions.length} server actions and ${routes.length} route handlers, ${ROLES.length + 1} callers: ${calls} calls checked`,
  );
  expect(actions.length).toBeGreaterThan(0);
  // Every permission the code uses is in the expected table (a new one must be added there).
  expect([...unknownPermissions]).toEqual([]);
  // Each caller made every call: 4 callers × (actions + route methods).
  expect(calls).toBe(
    (ROLES.length + 1) * (actions.length + routes.reduce((sum, route) => sum + route.methods.length, 0)),
  );
});

test("with a stale session every step-up action and route is refused with step_up_required; the others still run", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const actions = discoverActions();
  const routes = discoverRoutes();
  const base = baseURL ?? "http://localhost:3100";
  const stepUpActions = actions.filter((action) => stepsUp(action.rule));
  expect(stepUpActions.length, "some actions need step-up").toBeGreaterThan(0);
  const before = await tenantStats();

  const admin = await (
    await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.18.201.1" } })
  ).newPage();
  await signIn(admin, DEMO.admin);
  for (const role of ROLES) {
    const email = `matrix-stale-${role.toLowerCase()}-${Date.now().toString(36)}${STALE_SUFFIX}`;
    const label = role === "ADMIN" ? "Admin" : role === "SUPPORT" ? "Support" : "Auditor";
    const password = await createOperatorAsAdmin(admin, { email, name: `Stale ${label}`, role: label });
    const context = await browser.newContext({
      extraHTTPHeaders: { "X-Forwarded-For": `198.18.201.${ROLES.indexOf(role) + 2}` },
    });
    const page = await context.newPage();
    await signIn(page, email, password);
    for (const action of actions) {
      const { body } = await callAction(page.request, action, base);
      const where = `stale ${role} → ${action.name} (${action.rule.label})`;
      if (!action.rule.allows(role)) expect(body, where).toContain('"code":"forbidden"');
      else if (stepsUp(action.rule)) expect(body, where).toContain('"code":"step_up_required"');
      else expect(body, where).toContain('"code":"invalid"');
    }
    for (const route of routes) {
      for (const method of route.methods) {
        const response = await page.request.fetch(route.url, { method, maxRedirects: 0 });
        const where = `stale ${role} → ${method} /${route.route} (${route.rule.label})`;
        if (!route.rule.allows(role)) expect(response.status(), where).toBe(403);
        else if (stepsUp(route.rule)) {
          expect(response.status(), where).toBe(403);
          expect(((await response.json()) as { error: { code: string } }).error.code, where).toBe(
            "step_up_required",
          );
        } else expect([401, 403], where).not.toContain(response.status());
      }
    }
    await context.close();
  }
  expect((await tenantStats()).writes, "no refused call reached the tenant").toBe(before.writes);
});

/**
 * Issue 16: every action on one Auth0 user, posted directly by an EU-scoped admin (scope
 * app_metadata.region:"eu"; an admin holds every permission), for a user in the scope and for one
 * outside it. Valid input each time, so only the scope decides. Out of scope answers exactly
 * "not found" and the tenant sees no write and sends no email; in scope the action runs. The
 * expected answers are written out here, per action.
 */
const SCOPE_REASON = "INC-9016 matrix scope probe";
type TargetedCall = { input: (userId: string) => Record<string, unknown>; inScope: string };
const TARGETED_ACTIONS: Record<string, TargetedCall> = {
  setPasswordAction: {
    input: (userId) => ({
      userId,
      password: testPassword(),
      reason: SCOPE_REASON,
      idempotencyKey: crypto.randomUUID(),
      signOutEverywhere: false,
    }),
    inScope: '"ok":true',
  },
  sendResetEmailAction: {
    input: (userId) => ({ userId, reason: SCOPE_REASON, idempotencyKey: crypto.randomUUID() }),
    inScope: '"ok":true',
  },
  createResetTicketAction: {
    input: (userId) => ({
      userId,
      reason: SCOPE_REASON,
      idempotencyKey: crypto.randomUUID(),
      ttlSec: 900,
      resultUrl: "",
    }),
    inScope: '"ok":true',
  },
  // A new user has no brute-force lock and no MFA: Auth0 was asked and said so (no_change → conflict).
  unblockAccountAction: {
    input: (userId) => ({ userId, reason: SCOPE_REASON, idempotencyKey: crypto.randomUUID() }),
    inScope: '"code":"conflict"',
  },
  blockAccountAction: {
    input: (userId) => ({ userId, reason: SCOPE_REASON, idempotencyKey: crypto.randomUUID() }),
    inScope: '"ok":true',
  },
  adminUnblockAccountAction: {
    input: (userId) => ({ userId, reason: SCOPE_REASON, idempotencyKey: crypto.randomUUID() }),
    inScope: '"ok":true',
  },
  signOutEverywhereAction: {
    input: (userId) => ({ userId, reason: SCOPE_REASON, idempotencyKey: crypto.randomUUID() }),
    inScope: '"ok":true',
  },
  resendVerificationEmailAction: {
    input: (userId) => ({ userId, reason: SCOPE_REASON, idempotencyKey: crypto.randomUUID() }),
    inScope: '"ok":true',
  },
  listMfaMethodsAction: { input: (userId) => ({ userId }), inScope: '"ok":true' },
  resetMfaAction: {
    input: (userId) => ({ userId, reason: SCOPE_REASON, idempotencyKey: crypto.randomUUID() }),
    inScope: '"code":"conflict"',
  },
  // The in-scope user is not protected: the request is refused for that reason, not as "not found".
  requestPasswordApprovalAction: {
    input: (userId) => ({
      userId,
      reason: SCOPE_REASON,
      terms: { operation: "password.set", signOutEverywhere: false },
    }),
    inScope: "This user is not protected: the action needs no approval.",
  },
};
/** Route handlers that read one Auth0 user: in scope 200, out of scope 404. */
const TARGETED_ROUTES = ["/api/users/{id}", "/api/users/{id}/timeline"];
/** The action files whose every action targets one Auth0 user (written out; each action must be in the table above). */
const TARGETED_FILES = ["lib/actions/passwords.ts", "lib/actions/account.ts"];

/** Requests that change something at the tenant, by route (not the M2M token, not the control API). */
function changeRequests(stats: { requests: Record<string, number> }): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stats.requests).filter(
      ([route]) =>
        /^(DELETE|PATCH|POST|PUT) /.test(route) &&
        !route.includes("/oauth/token") &&
        !route.includes("__control"),
    ),
  );
}

async function regionUser(region: "eu" | "us"): Promise<TestUser> {
  const email = uniqueEmail(`matrix-scope-${region}`);
  const created = await tenantClient().users.create({
    connection: DATABASE_CONNECTION,
    email,
    password: testPassword(),
    name: `Matrix Scope ${region}`,
    app_metadata: { region },
    email_verified: false,
  });
  if (!created.user_id) throw new Error("the tenant returned a user without user_id");
  return { userId: created.user_id, email, name: `Matrix Scope ${region}` };
}

test("every action on a user, by an EU-scoped admin: in scope it runs, out of scope it is 'not found' with no write at the tenant", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const base = baseURL ?? "http://localhost:3100";
  const actions = discoverActions();
  for (const action of actions.filter((entry) => TARGETED_FILES.includes(entry.file))) {
    expect(
      Object.keys(TARGETED_ACTIONS),
      `${action.name} targets a user: add it to TARGETED_ACTIONS`,
    ).toContain(action.name);
  }
  const euUser = await regionUser("eu");
  const usUser = await regionUser("us");

  // An admin sets up the scoped admin on the Operators page, as a tenant admin would.
  const admin = await (
    await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.19.8.1" } })
  ).newPage();
  await signIn(admin, DEMO.admin);
  const email = uniqueEmail("matrix-eu-admin");
  const password = await createOperatorAsAdmin(admin, { email, name: "Matrix EU Admin", role: "Admin" });
  await admin.getByRole("button", { name: `Change the scope of ${email}` }).click();
  const scopeDialog = admin.getByRole("dialog", { name: `Scope of ${email}` });
  await scopeDialog.getByLabel("Lucene filter").fill('app_metadata.region:"eu"');
  await scopeDialog.getByRole("button", { name: "Save scope" }).click();
  await expect(admin.getByRole("row", { name: new RegExp(email) })).toContainText(
    'Filter: app_metadata.region:"eu"',
  );

  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.19.8.2" } });
  const page = await context.newPage();
  await signIn(page, email, password);
  const byName = new Map(actions.map((action) => [action.name, action]));

  // Out of scope first: every action and route answers "not found", and nothing is written.
  const before = await tenantStats();
  for (const [name, call] of Object.entries(TARGETED_ACTIONS)) {
    const action = byName.get(name);
    expect(action, `${name} is in the build`).toBeDefined();
    const response = await page.request.post((action as ActionEntry).page, {
      headers: {
        "Next-Action": (action as ActionEntry).id,
        "Content-Type": "text/plain;charset=UTF-8",
        Accept: "text/x-component",
        Origin: base,
      },
      data: JSON.stringify([call.input(usUser.userId)]),
      maxRedirects: 0,
    });
    expect(await response.text(), `out of scope → ${name}`).toContain('"code":"not_found"');
  }
  for (const route of TARGETED_ROUTES) {
    const response = await page.request.get(route.replace("{id}", encodeURIComponent(usUser.userId)));
    expect(response.status(), `out of scope → GET ${route}`).toBe(404);
  }
  // Any change at the tenant (users, blocks, sessions, grants, MFA, emails, tickets), not only WRITE_ROUTES.
  expect(
    changeRequests(await tenantStats()),
    "no write reached the tenant for the out-of-scope user",
  ).toEqual(changeRequests(before));

  // In scope: the same calls run (each answer written out in TARGETED_ACTIONS).
  for (const [name, call] of Object.entries(TARGETED_ACTIONS)) {
    const action = byName.get(name) as ActionEntry;
    const response = await page.request.post(action.page, {
      headers: {
        "Next-Action": action.id,
        "Content-Type": "text/plain;charset=UTF-8",
        Accept: "text/x-component",
        Origin: base,
      },
      data: JSON.stringify([call.input(euUser.userId)]),
      maxRedirects: 0,
    });
    expect(await response.text(), `in scope → ${name}`).toContain(call.inScope);
  }
  for (const route of TARGETED_ROUTES) {
    const response = await page.request.get(route.replace("{id}", encodeURIComponent(euUser.userId)));
    expect(response.status(), `in scope → GET ${route}`).toBe(200);
  }
  // The in-scope user got the new password at the tenant; the out-of-scope one has never had one set.
  expect((await tenantClient().users.get(euUser.userId)).last_password_reset).toBeTruthy();
  expect((await tenantClient().users.get(usUser.userId)).last_password_reset ?? null).toBeNull();
  await context.close();
  await deleteTestUsers([euUser, usUser]);
});

test("a cross-origin POST to a server action is refused", async ({ page, baseURL }) => {
  await signIn(page, DEMO.admin);
  const [action] = discoverActions().filter((entry) => entry.name === "createOperatorAction");
  expect(action).toBeDefined();
  const { status, body } = await callAction(
    page.request,
    action as ActionEntry,
    baseURL ?? "",
    "https://evil.example",
  );
  expect(status).toBeGreaterThanOrEqual(400);
  expect(body).not.toContain('"ok":true');
});

// Issue 11, point 10: the profile's generateMetadata read the user from Auth0 before any check of
// the operator, so a still-signed cookie of a disabled operator made Passdesk call Auth0 for them.
test("a profile requested with a disabled operator's cookie asks Auth0 nothing", async ({ browser }) => {
  const user = await createTestUser({ email: uniqueEmail("metadata-probe"), name: "Metadata Probe" });
  const adminPage = await (
    await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.19.7.1" } })
  ).newPage();
  await signIn(adminPage, DEMO.admin);
  const email = uniqueEmail("metadata-disabled");
  const password = await createOperatorAsAdmin(adminPage, {
    email,
    name: "Metadata Disabled",
    role: "Support",
  });

  const operatorContext = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.19.7.2" } });
  const operatorPage = await operatorContext.newPage();
  await signIn(operatorPage, email, password);
  const cookies = await operatorContext.cookies();

  const row = adminPage.getByRole("row", { name: new RegExp(email) });
  adminPage.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(row.getByRole("cell", { name: "Disabled", exact: true })).toBeVisible();

  // A fresh context that only carries the disabled operator's cookie.
  const replay = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.19.7.3" } });
  await replay.addCookies(cookies);
  const before = (await tenantStats()).requests["GET /api/v2/users/{id}"] ?? 0;
  const response = await replay.request.get(`/users/${encodeURIComponent(user.userId)}`, { maxRedirects: 0 });
  expect([302, 303, 307, 308]).toContain(response.status());
  expect(response.headers()["location"] ?? "").toContain("/sign-in");
  expect((await tenantStats()).requests["GET /api/v2/users/{id}"] ?? 0).toBe(before);
  await deleteTestUsers([user]);
});
