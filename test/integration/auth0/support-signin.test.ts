import { describe, expect, it } from "vitest";
import { Auth0NotFoundError, Auth0ScopeError } from "@/lib/auth0/errors";
import { buildUserLogQuery, listUserLogs } from "@/lib/auth0/logs";
import { getUserBlocks, unblockUser } from "@/lib/auth0/user-blocks";
import { createDatabaseUser, passwordLogin, setUpSupportTenant } from "./support-helpers";

const support = setUpSupportTenant(60);

async function signIn(username: string, password: string): Promise<number> {
  return (await passwordLogin(support, username, password)).status;
}

async function createUser(): Promise<{ id: string; email: string }> {
  return createDatabaseUser(support.api);
}

describe("getUserBlocks / unblockUser", () => {
  it("shows a brute-force lock after 10 wrong passwords and lifts it", async () => {
    const { id, email } = await createUser();
    expect(await getUserBlocks(id, support.api)).toEqual([]);
    for (let i = 0; i < 10; i++) expect(await signIn(email, "Wrong-Pass-0!")).toBe(403);
    expect(await signIn(email, "Initial-Pass-1!")).toBe(429);
    expect(await getUserBlocks(id, support.api)).toEqual([
      { identifier: email, ip: "127.0.0.1", connection: "Username-Password-Authentication" },
    ]);
    await unblockUser(id, support.api);
    expect(await getUserBlocks(id, support.api)).toEqual([]);
    expect(await signIn(email, "Initial-Pass-1!")).toBe(200);
  });

  it("answers null for an unknown or malformed user id, and unblockUser throws not-found", async () => {
    expect(await getUserBlocks("auth0|000000000000000000000000", support.api)).toBeNull();
    expect(await getUserBlocks("not-a-user-id", support.api)).toBeNull();
    await expect(unblockUser("auth0|000000000000000000000000", support.api)).rejects.toBeInstanceOf(
      Auth0NotFoundError,
    );
  });
});

describe("listUserLogs", () => {
  it("lists a user's sign-in events newest first, filters by type and pages", async () => {
    const { id, email } = await createUser();
    expect(await signIn(email, "Wrong-Pass-0!")).toBe(403);
    expect(await signIn(email, "Initial-Pass-1!")).toBe(200);
    expect(await signIn(email, "Wrong-Pass-0!")).toBe(403);

    const all = await listUserLogs(id, {}, support.api);
    expect(all.events.map((event) => event.type)).toEqual(["fp", "s", "fp"]);
    expect(all.events[1]).toMatchObject({
      type: "s",
      userId: id,
      userName: email,
      ip: "127.0.0.1",
      clientId: "passdesk-demo-reset-app",
      clientName: "Passdesk Demo",
      connection: "Username-Password-Authentication",
    });
    expect(all.hasMore).toBe(false);

    const failures = await listUserLogs(id, { types: ["fp"] }, support.api);
    expect(failures.events.map((event) => event.type)).toEqual(["fp", "fp"]);

    const first = await listUserLogs(id, { page: 1, perPage: 2 }, support.api);
    expect(first).toMatchObject({ page: 1, perPage: 2, hasMore: true });
    const second = await listUserLogs(id, { page: 2, perPage: 2 }, support.api);
    expect(second.events.map((event) => event.type)).toEqual(["fp"]);
    expect(second.hasMore).toBe(false);

    expect((await listUserLogs("auth0|000000000000000000000000", {}, support.api)).events).toEqual([]);
  });

  it("builds q with the user id as quoted data and only valid type codes", () => {
    expect(buildUserLogQuery('auth0|a"b')).toBe('user_id:"auth0|a\\"b"');
    expect(buildUserLogQuery("auth0|x", ["fp", "limit_wc", "x) OR (y"])).toBe(
      'user_id:"auth0|x" AND (type:"fp" OR type:"limit_wc")',
    );
  });

  it("maps a missing scope to Auth0ScopeError naming read:logs and read:logs_users", async () => {
    const { id } = await createUser();
    const error = await listUserLogs(id, {}, support.readonlyApi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Auth0ScopeError);
    expect((error as Auth0ScopeError).scopes).toEqual(["read:logs", "read:logs_users"]);
    expect((error as Auth0ScopeError).message).toBe(
      "Passdesk's Auth0 application is missing the scope read:logs or read:logs_users.",
    );
  });
});
