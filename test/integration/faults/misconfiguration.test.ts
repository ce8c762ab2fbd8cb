import { describe, expect, it } from "vitest";
import { listConnections } from "@/lib/auth0/connections";
import { Auth0MisconfiguredError, Auth0NotFoundError } from "@/lib/auth0/errors";
import { getAuth0Health } from "@/lib/auth0/health";
import { getUser, searchUsers } from "@/lib/auth0/users";
import { failureFromAuth0Error } from "@/lib/danger-zone/failures";
import { toUsersErrorDto } from "@/lib/users/responses";
import { setUpFaultHarness } from "./fault-harness";

/**
 * Issue 11, point 11: a 404 from a collection endpoint means "this is not the Management API you
 * think" (a wrong AUTH0_DOMAIN, or an emulator lacking the endpoint): a distinct error with a
 * clear message, reported by health — while a 404 for one user stays "not found". The tenant is
 * told to answer 404 through its control API.
 */
const h = setUpFaultHarness();

function notFoundOn(path: string, method = "GET") {
  return h.control("POST", "/faults", { method, path, action: { type: "status", status: 404 } });
}

describe("a 404 from a collection endpoint", () => {
  it("on the users list: a misconfiguration naming AUTH0_DOMAIN, 502 for the browser, health says misconfigured", async () => {
    // The list only (`/api/v2/users`), not `/api/v2/users/{id}`.
    await notFoundOn("/^\\/api\\/v2\\/users$/");
    const error = await searchUsers({ field: "email", text: "misconfig", page: 1, perPage: 10 }, h.api).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Auth0MisconfiguredError);
    expect(error).not.toBeInstanceOf(Auth0NotFoundError);
    expect((error as Error).message).toContain("AUTH0_DOMAIN");
    expect(toUsersErrorDto(error)).toMatchObject({ status: 502, code: "upstream_misconfigured" });
    expect(getAuth0Health()).toBe("misconfigured");
  });

  it("on connections: a misconfiguration, and health says so", async () => {
    await notFoundOn("/api/v2/connections");
    await expect(listConnections(h.api)).rejects.toBeInstanceOf(Auth0MisconfiguredError);
    expect(getAuth0Health()).toBe("misconfigured");
  });

  it("for one user is still just not found, and health stays ok", async () => {
    expect(await getUser("auth0|does-not-exist-0000", h.api)).toBeNull();
    expect(getAuth0Health()).toBe("ok");
  });

  it("on the reset email (/dbconnections/change_password): a misconfiguration, and the Danger Zone says so", async () => {
    await notFoundOn("/dbconnections/change_password", "POST");
    const error = await h.auth
      .sendPasswordResetEmail({ email: "alice.demo@example.com", connection: "Username-Password-Authentication", clientId: "passdesk-demo-reset-app" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Auth0MisconfiguredError);
    expect((error as Error).message).toContain("AUTH0_DOMAIN");
    expect(failureFromAuth0Error(error as Auth0MisconfiguredError)).toEqual({ code: "misconfigured" });
    expect(getAuth0Health()).toBe("misconfigured");
  });

  it("on password-change tickets: the Danger Zone reports a misconfiguration, not an upstream error", async () => {
    await notFoundOn("/api/v2/tickets/password-change", "POST");
    const error = await h.api
      .run("tickets.change_password", (client, options) => client.tickets.changePassword({ user_id: "auth0|x" }, options))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Auth0MisconfiguredError);
    expect(failureFromAuth0Error(error as Auth0MisconfiguredError)).toEqual({ code: "misconfigured" });
  });
});
