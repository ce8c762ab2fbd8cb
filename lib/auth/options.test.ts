import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { cappedMaxAgeSeconds, getAuthOptions } from "./options";

/** next-auth's own encode/decode and callbacks, as `GET /api/auth/session` runs them. */
describe("session token lifetime", () => {
  it("never reaches past the session's absolute end", () => {
    const now = Date.parse("2026-05-01T12:00:00.000Z");
    const end = Date.parse("2026-05-01T13:00:00.000Z") / 1000;
    expect(cappedMaxAgeSeconds(8 * 3600, end, now)).toBe(3600);
    expect(cappedMaxAgeSeconds(600, end, now)).toBe(600);
    expect(cappedMaxAgeSeconds(8 * 3600, Date.parse("2026-05-01T11:00:00.000Z") / 1000, now)).toBe(0);
    expect(cappedMaxAgeSeconds(8 * 3600, undefined, now)).toBe(8 * 3600);
  });

  it("a re-issued token expires at the session's end, and so does the session the browser sees", async () => {
    const options = getAuthOptions();
    const end = Math.floor(Date.now() / 1000) + 120;
    const token = await options.jwt?.encode?.({ token: { sub: "op", sid: "s", sessionExpiresAt: end }, secret: options.secret as string, maxAge: 8 * 3600 });
    const decoded = await decode({ token: token as string, secret: options.secret as string });
    expect(decoded?.exp).toBe(end);
    const session = await options.callbacks?.session?.({
      session: { user: { name: "x" }, expires: new Date(Date.now() + 8 * 3600 * 1000).toISOString() },
      token: { sub: "op", sessionExpiresAt: end },
    } as never);
    expect(session?.expires).toBe(new Date(end * 1000).toISOString());
  });

  it("a token without a server-side session id is refused", async () => {
    const options = getAuthOptions();
    await expect(options.callbacks?.jwt?.({ token: { sub: "op" } } as never)).rejects.toThrow("session ended");
  });

  it("redirects after sign-in stay on this origin", async () => {
    const redirect = getAuthOptions().callbacks?.redirect;
    const baseUrl = "http://localhost:3000";
    expect(await redirect?.({ url: "/\\evil.example/phish", baseUrl })).toBe("http://localhost:3000/");
    expect(await redirect?.({ url: "https://evil.example/", baseUrl })).toBe("http://localhost:3000/");
    expect(await redirect?.({ url: "http://localhost:3000/users?q=a", baseUrl })).toBe("http://localhost:3000/users?q=a");
  });
});
