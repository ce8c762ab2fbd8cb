import { describe, expect, it } from "vitest";
import { seedOrganizations } from "../src/organizations.ts";
import { seedTenant } from "../src/seed.ts";
import { startTestTenant } from "./helpers.ts";

/** Issue 13, point 3: demo data that looks current, and pictures that stay on the machine. */
const ANCHOR = Date.parse("2030-01-15T12:00:00.000Z");
const DAY = 86_400_000;

describe("seeded dates", () => {
  const { users } = seedTenant(42, 300, "hash", ANCHOR);
  const byEmail = (email: string) => users.find((user) => user.email === email);

  it("gives the demo's known user a login 2 hours, a password reset 6 days and an account 240 days before the anchor", () => {
    const alice = byEmail("alice.demo@example.com");
    expect(alice?.last_login).toBe("2030-01-15T10:00:00.000Z");
    expect(alice?.last_password_reset).toBe("2030-01-09T12:00:00.000Z");
    expect(alice?.created_at).toBe("2029-05-20T12:00:00.000Z");
    expect(alice?.updated_at).toBe("2030-01-15T10:00:00.000Z");
  });

  it("puts every date before the anchor: accounts 30 days to 3 years old, logins within 30 days", () => {
    const never = users.filter((user) => user.last_login === undefined);
    expect(never.map((user) => user.email)).toContain("never.demo@example.com");
    for (const user of users) {
      const created = Date.parse(user.created_at);
      expect(created, user.email).toBeGreaterThanOrEqual(ANCHOR - 3 * 365 * DAY);
      expect(created, user.email).toBeLessThanOrEqual(ANCHOR - 30 * DAY);
      if (user.last_login !== undefined) {
        const login = Date.parse(user.last_login);
        expect(login, user.email).toBeGreaterThanOrEqual(ANCHOR - 30 * DAY - 5 * 60_000);
        expect(login, user.email).toBeLessThanOrEqual(ANCHOR - 5 * 60_000);
      }
      if (user.last_password_reset !== undefined) {
        const reset = Date.parse(user.last_password_reset);
        expect(reset, user.email).toBeGreaterThanOrEqual(created);
        expect(reset, user.email).toBeLessThanOrEqual(ANCHOR - DAY);
      }
      expect(Date.parse(user.updated_at), user.email).toBeLessThanOrEqual(ANCHOR);
    }
  });

  it("shows recent activity: most of the users who ever logged in did so in the last week", () => {
    const logins = users.flatMap((user) => (user.last_login ? [Date.parse(user.last_login)] : []));
    const lastWeek = logins.filter((login) => login >= ANCHOR - 7 * DAY);
    expect(lastWeek.length / logins.length).toBeGreaterThan(0.5);
    const resets = users.filter((user) => user.last_password_reset !== undefined);
    expect(resets.length).toBeGreaterThan(10);
  });

  it("is the same tenant for the same seed and anchor; another anchor moves every date by the difference", () => {
    expect(seedTenant(42, 300, "hash", ANCHOR).users).toEqual(users);
    const later = seedTenant(42, 300, "hash", ANCHOR + 3 * DAY).users;
    expect(later.map((user) => user.user_id)).toEqual(users.map((user) => user.user_id));
    for (const [index, user] of later.entries()) {
      const before = users[index];
      expect(Date.parse(user.created_at) - Date.parse(before?.created_at ?? ""), user.email).toBe(3 * DAY);
      if (user.last_login !== undefined)
        expect(Date.parse(user.last_login) - Date.parse(before?.last_login ?? ""), user.email).toBe(3 * DAY);
    }
  });

  it("keeps the seeded users of earlier versions (ids, emails, names) whatever the anchor", () => {
    expect(users).toHaveLength(300);
    const picks = [0, 2, 8, 9, 100, 299].map((index) => {
      const user = users[index];
      return [user?.user_id, user?.email, user?.name, user?.logins_count];
    });
    expect(picks).toEqual([
      ["auth0|95b47dbfe6841b5ce17d2f2b", "alice.demo@example.com", "Alice Demo", 11],
      ["auth0|66a65e579893545a32b51509", "hanako.yamada@example.jp", "山田 花子", 9],
      ["auth0|de8717ea679b802116dda104", "tomoko.yoshida@example.jp", "吉田 智子", 170],
      ["auth0|1cbe100533f9d5a0bc63c821", "yamato.ikeda@example.jp", "池田 大和", 185],
      ["google-oauth2|162982413635547035699", "michael.gonzalez@gmail.example", "Michael Gonzalez", 56],
      ["auth0|f4927242d6a9feb8f0576f87", "hina.tanaka@example.jp", "田中 陽菜", 6],
    ]);
    expect(users.filter((user) => user.last_login === undefined)).toHaveLength(18);
    expect(users.filter((user) => user.blocked)).toHaveLength(14);
  });
});

describe("seeded pictures", () => {
  it("are data: URIs with the initials, never a URL of another host", () => {
    const { users } = seedTenant(42, 300, "hash", ANCHOR);
    for (const user of users) expect(user.picture, user.email).toMatch(/^data:image\/svg\+xml,/);
    const alice = users.find((user) => user.email === "alice.demo@example.com");
    expect(decodeURIComponent(alice?.picture ?? "")).toContain(">AD</text>");
    const hanako = users.find((user) => user.email === "hanako.yamada@example.jp");
    expect(decodeURIComponent(hanako?.picture ?? "")).toContain(">HY</text>");
  });
});

describe("the seed anchor of a running tenant", () => {
  it("is TenantOptions.seedAnchor when given, and survives a reseed through the control API", async () => {
    const t = await startTestTenant({ users: 20, seedAnchor: ANCHOR });
    try {
      const find = async () => (await t.management.users.listUsersByEmail({ email: "alice.demo@example.com" }))[0];
      expect((await find())?.last_login).toBe("2030-01-15T10:00:00.000Z");
      expect((await t.control("POST", "/reset")).status).toBe(200);
      expect((await find())?.last_password_reset).toBe("2030-01-09T12:00:00.000Z");
    } finally {
      await t.close();
    }
  });

  it("is the tenant's clock at start by default", async () => {
    const start = Date.parse("2031-07-01T08:00:00.000Z");
    const t = await startTestTenant({ users: 20, now: () => start });
    try {
      const alice = (await t.management.users.listUsersByEmail({ email: "alice.demo@example.com" }))[0];
      expect(alice?.last_login).toBe("2031-07-01T06:00:00.000Z");
    } finally {
      await t.close();
    }
  });
});

describe("seeded organization members", () => {
  it("spreads about 1 in 6 users over acme, globex and initech, a third each (5,000 users: 200 to 400 per organization)", () => {
    const { users } = seedTenant(42, 5000, "hash", ANCHOR);
    const { organizations, members } = seedOrganizations(users);
    const counts = organizations.map((organization) => [organization.name, members.get(organization.id)?.length ?? 0] as const);
    expect(counts.map(([name]) => name)).toEqual(["acme", "globex", "initech"]);
    for (const [name, count] of counts) {
      expect(count, name).toBeGreaterThanOrEqual(200);
      expect(count, name).toBeLessThanOrEqual(400);
    }
  });
});
