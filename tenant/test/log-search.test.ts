import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_READONLY_CLIENT_ID, DEMO_READONLY_CLIENT_SECRET } from "../src/demo-credentials.ts";
import {
  createDatabaseUser,
  expectError,
  getToken,
  managementClientFor,
  passwordGrant,
  setUpTestTenant,
} from "./helpers.ts";

const t = setUpTestTenant();
let userId: string;
let email: string;
beforeAll(async () => {
  ({ id: userId, email } = await createDatabaseUser(t, "search"));
  // 3 wrong passwords, then 2 successful logins: 5 events for this user.
  for (const password of ["Wrong-1!", "Wrong-2!", "Wrong-3!", "Initial-Pass-1!", "Initial-Pass-1!"])
    await passwordGrant(t, email, password);
});

type Log = { log_id: string; type: string; user_id?: string; date: string };

describe("GET /api/v2/logs search mode", () => {
  it("filters by user_id and type with q (sent through requestOptions.queryParams)", async () => {
    const all = await t.management.logs.list(
      { per_page: 100 },
      { queryParams: { q: `user_id:"${userId}"` } },
    );
    expect((all.data as Log[]).map((l) => l.type)).toEqual(["s", "s", "fp", "fp", "fp"]);
    const fp = await t.management.logs.list(
      { per_page: 100 },
      { queryParams: { q: `type:fp AND user_id:"${userId}"` } },
    );
    expect(fp.data).toHaveLength(3);
    const either = await t.management.logs.list(
      { per_page: 100 },
      { queryParams: { q: `(type:s OR type:fp) AND NOT type:fp AND user_id:"${userId}"` } },
    );
    expect((either.data as Log[]).map((l) => l.type)).toEqual(["s", "s"]);
  });

  it("pages with page/per_page, sorts by date, and reports this page's size as total", async () => {
    const q = { q: `user_id:"${userId}"` };
    const first = await t.management.logs.list({ page: 0, per_page: 2, sort: "date:1" }, { queryParams: q });
    expect((first.data as Log[]).map((l) => l.type)).toEqual(["fp", "fp"]);
    expect(first.response).toMatchObject({ start: 0, limit: 2, length: 2, total: 2 });
    const third = await t.management.logs.list({ page: 2, per_page: 2, sort: "date:1" }, { queryParams: q });
    expect((third.data as Log[]).map((l) => l.type)).toEqual(["s"]);
    expect(third.response).toMatchObject({ start: 4, limit: 2, length: 1, total: 1 });
    const plain = await t.fetch(
      `${t.tenant.url}/api/v2/logs?q=${encodeURIComponent(`user_id:"${userId}"`)}&per_page=1`,
      { headers: { authorization: `Bearer ${await token()}` } },
    );
    const body = (await plain.json()) as Log[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((l) => l.type)).toEqual(["s"]);
  });

  it("refuses an unknown field with 400", async () => {
    const error = await expectError(() =>
      t.noRetry.logs.list({}, { queryParams: { q: 'user_email:"a@b.c"' } }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.body["message"]).toBe('The search query string has an error: unknown field "user_email"');
  });
});

describe("GET /api/v2/logs checkpoint mode", () => {
  it("returns a plain array after `from`, in log_id order, ignores q, and links the next page", async () => {
    const bearer = { authorization: `Bearer ${await token()}` };
    const newest = (await t.management.logs.list({ per_page: 100, sort: "date:1" })).data as Log[];
    const start = newest[0]?.log_id ?? "";
    const url = `${t.tenant.url}/api/v2/logs?from=${start}&take=3&q=${encodeURIComponent("type:nothing")}`;
    const response = await t.fetch(url, { headers: bearer });
    const page = (await response.json()) as Log[];
    expect(page.map((l) => l.log_id)).toEqual(newest.slice(1, 4).map((l) => l.log_id));
    const link = response.headers.get("link") ?? "";
    const next = /^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? "";
    expect(new URL(next).searchParams.get("from")).toBe(page[2]?.log_id);
    expect(new URL(next).searchParams.get("take")).toBe("3");
    const following = (await (await t.fetch(next, { headers: bearer })).json()) as Log[];
    expect(following[0]?.log_id).toBe(newest[4]?.log_id);
  });

  it("answers [] past the newest event, with the same URL as next", async () => {
    const bearer = { authorization: `Bearer ${await token()}` };
    const last = "9".repeat(56);
    const response = await t.fetch(`${t.tenant.url}/api/v2/logs?from=${last}&take=10`, { headers: bearer });
    expect(await response.json()).toEqual([]);
    expect(response.headers.get("link")).toBe(
      `<${t.tenant.url}/api/v2/logs?from=${last}&take=10>; rel="next"`,
    );
  });
});

describe("GET /api/v2/users/{id}/logs", () => {
  it("lists one user's events newest first, with totals, through the SDK", async () => {
    const page = await t.management.users.logs.list(userId, { per_page: 4 });
    expect((page.data as Log[]).map((l) => l.type)).toEqual(["s", "s", "fp", "fp"]);
    expect(page.response).toMatchObject({ start: 0, limit: 4, length: 4, total: 5 });
    const asc = await t.management.users.logs.list(userId, { sort: "date:1", per_page: 2, page: 1 });
    expect((asc.data as Log[]).map((l) => l.type)).toEqual(["fp", "s"]);
    const none = await t.management.users.logs.list("auth0|000000000000000000000000");
    expect(none.data).toEqual([]);
  });
});

describe("scopes", () => {
  it("answers 403 insufficient_scope naming read:logs and read:logs_users", async () => {
    const readonly = managementClientFor(t, DEMO_READONLY_CLIENT_ID, DEMO_READONLY_CLIENT_SECRET, {
      maxRetries: 0,
    });
    for (const call of [() => readonly.logs.list(), () => readonly.users.logs.list(userId)]) {
      const error = await expectError(call);
      expect(error).toEqual({
        statusCode: 403,
        body: {
          statusCode: 403,
          error: "Forbidden",
          message: "Insufficient scope, expected any of: read:logs,read:logs_users",
          errorCode: "insufficient_scope",
        },
      });
    }
  });
});

async function token(): Promise<string> {
  return getToken(t, "passdesk-demo-m2m", "passdesk-demo-m2m-secret");
}
