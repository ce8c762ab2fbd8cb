import { describe, expect, it } from "vitest";
import { expectError, getToken, setUpTestTenant, uniqueEmail } from "./helpers.ts";

const t = setUpTestTenant();

async function aliceId(): Promise<string> {
  const [alice] = await t.management.users.listUsersByEmail({ email: "alice.demo@example.com" });
  return alice?.user_id ?? "";
}

describe("organizations", () => {
  it("seeds acme, globex and initech; the SDK lists them with checkpoint paging", async () => {
    const page = await t.management.organizations.list();
    expect(page.data.map((o) => [o.name, o.display_name])).toEqual([
      ["acme", "Acme Corporation"],
      ["globex", "Globex"],
      ["initech", "Initech"],
    ]);
    expect(page.data[0]?.id).toMatch(/^org_[A-Za-z0-9]{16}$/);
    const first = await t.management.organizations.list({ take: 2 });
    expect(first.data).toHaveLength(2);
    expect((await first.getNextPage()).data.map((o) => o.name)).toEqual(["initech"]);
  });

  it("offers offset paging with include_totals too", async () => {
    const response = await t.fetch(
      `${t.tenant.url}/api/v2/organizations?page=0&per_page=2&include_totals=true`,
      {
        headers: {
          authorization: `Bearer ${await getToken(t, "passdesk-demo-m2m", "passdesk-demo-m2m-secret")}`,
        },
      },
    );
    expect(await response.json()).toMatchObject({ start: 0, limit: 2, total: 3 });
  });

  it("lists a user's organizations: alice is in acme and globex", async () => {
    const page = await t.management.users.organizations.list(await aliceId());
    expect(page.data.map((o) => o.name)).toEqual(["acme", "globex"]);
    expect(page.response).toMatchObject({ start: 0, limit: 50, total: 2 });
  });

  it("creates an organization, adds a member, lists members and the user's organizations", async () => {
    const org = await t.management.organizations.create({ name: "umbrella", display_name: "Umbrella" });
    expect(org).toMatchObject({ name: "umbrella", display_name: "Umbrella" });
    const email = uniqueEmail("org");
    const user = await t.management.users.create({
      connection: "Username-Password-Authentication",
      email,
      password: "Initial-Pass-1!",
    });
    await t.management.organizations.members.create(org.id ?? "", { members: [user.user_id ?? ""] });
    const members = await t.management.organizations.members.list(org.id ?? "");
    expect(members.data).toEqual([{ user_id: user.user_id, email, name: email, picture: user.picture }]);
    expect((await t.management.users.organizations.list(user.user_id ?? "")).data.map((o) => o.name)).toEqual(
      ["umbrella"],
    );
    const conflict = await expectError(() => t.noRetry.organizations.create({ name: "umbrella" }));
    expect(conflict.statusCode).toBe(409);
  });

  it("answers 404 for an unknown organization or user", async () => {
    const org = await expectError(() => t.noRetry.organizations.get("org_doesnotexist0000"));
    expect(org).toMatchObject({ statusCode: 404, body: { message: "The organization does not exist" } });
    const user = await expectError(() =>
      t.noRetry.users.organizations.list("auth0|000000000000000000000000"),
    );
    expect(user.statusCode).toBe(404);
  });
});
