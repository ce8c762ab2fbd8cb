import { describe, expect, it } from "vitest";
import type { ManagementApi } from "@/lib/auth0/client";
import { listOrganizationMembers, listOrganizations } from "@/lib/auth0/organizations";
import { searchUsers } from "@/lib/auth0/users";
import { isUserInScope, resolveScope, usersInScope, type ResolvedScope } from "@/lib/scope/resolve";
import { INVALID_SCOPE, type OperatorScope } from "@/lib/scope/types";
import { setUpSupportTenant } from "../auth0/support-helpers";

const support = setUpSupportTenant(300);

const EU: OperatorScope = { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' };

/** Every user id a scoped search returns (all pages). */
async function allIds(resolved: ResolvedScope, api: ManagementApi, text = ""): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const result = await searchUsers({ field: "any", text, page, perPage: 100, scope: resolved }, api);
    ids.push(...result.users.map((user) => user.userId));
    if (result.users.length < 100) return ids;
  }
}

/** The user as the tenant stores it (GET /users/{id}), read without our mappers. */
async function rawUser(api: ManagementApi, id: string): Promise<{ app_metadata?: { region?: string } }> {
  return api.run("users.get", (client, options) => client.users.get(id, {}, options)) as Promise<{
    app_metadata?: { region?: string };
  }>;
}

async function idOf(api: ManagementApi, email: string): Promise<string> {
  const result = await searchUsers({ field: "email", text: email, page: 1, perPage: 10 }, api);
  const user = result.users.find((u) => u.email === email);
  if (!user) throw new Error(`no seeded ${email}`);
  return user.userId;
}

async function acmeId(api: ManagementApi): Promise<string> {
  const acme = (await listOrganizations(api)).find((organization) => organization.name === "acme");
  if (!acme) throw new Error("no acme");
  return acme.id;
}

describe("scope resolution against the local tenant", () => {
  it("an EU filter: the search returns only region eu users, and all of them", async () => {
    const resolved = await resolveScope(EU, support.api);
    expect(resolved).toEqual({ kind: "limited", clause: '((app_metadata.region:"eu"))' });
    const ids = await allIds(resolved, support.api);
    expect(ids.length).toBeGreaterThan(50);
    const regions = await Promise.all(ids.map(async (id) => (await rawUser(support.api, id)).app_metadata?.region));
    expect(new Set(regions)).toEqual(new Set(["eu"]));
    // And no eu user is left out: the unscoped list holds exactly as many eu users.
    const everyone = await allIds({ kind: "all" }, support.api);
    const everyRegion = await Promise.all(
      everyone.map(async (id) => [id, (await rawUser(support.api, id)).app_metadata?.region] as const),
    );
    expect(ids.sort()).toEqual(everyRegion.filter(([, region]) => region === "eu").map(([id]) => id).sort());
  });

  it("an EU filter AND the operator's query: a US user's email finds nobody", async () => {
    const resolved = await resolveScope(EU, support.api);
    expect(await allIds(resolved, support.api, "blocked.demo@example.com")).toEqual([]);
    expect(await allIds({ kind: "all" }, support.api, "blocked.demo@example.com")).toHaveLength(1);
    expect(await allIds(resolved, support.api, "alice.demo@example.com")).toHaveLength(1);
  });

  it("an acme scope: the search returns exactly acme's members", async () => {
    const acme = await acmeId(support.api);
    const members = (await listOrganizationMembers(acme, support.api)).map((m) => m.userId).sort();
    expect(members.length).toBeGreaterThan(5);
    const resolved = await resolveScope({ connections: [], organizations: [acme], filter: null }, support.api);
    expect(resolved.kind).toBe("limited");
    expect((await allIds(resolved, support.api)).sort()).toEqual(members);
  });

  it("connections AND filter AND organization all hold", async () => {
    const acme = await acmeId(support.api);
    const scope = { connections: ["Username-Password-Authentication"], organizations: [acme], filter: EU.filter };
    const ids = await allIds(await resolveScope(scope, support.api), support.api);
    const alice = await idOf(support.api, "alice.demo@example.com");
    const saml = await idOf(support.api, "saml.demo@acme.example"); // acme, eu, but SAML
    expect(ids).toContain(alice);
    expect(ids).not.toContain(saml);
    for (const id of ids) expect((await rawUser(support.api, id)).app_metadata?.region).toBe("eu");
  });

  it("invalid, unknown organization, unknown connection: nobody, and no search reaches Auth0", async () => {
    expect(await resolveScope(INVALID_SCOPE, support.api)).toEqual({ kind: "none", reason: "invalid" });
    expect(await resolveScope({ connections: [], organizations: ["org_gone0000000000"], filter: null }, support.api)).toEqual({
      kind: "none",
      reason: "organization_missing",
      detail: "org_gone0000000000",
    });
    expect(await resolveScope({ connections: ["eu-customers"], organizations: [], filter: null }, support.api)).toEqual({
      kind: "none",
      reason: "connection_missing",
      detail: "eu-customers",
    });
    // A "none" scope answers empty without asking Auth0.
    const searches = async () => {
      const stats = (await (await support.tenant.control("GET", "/__control/stats")).json()) as {
        requests: Record<string, number>;
      };
      return stats.requests["GET /api/v2/users"] ?? 0;
    };
    const before = await searches();
    const result = await searchUsers(
      { field: "any", text: "", page: 1, perPage: 10, scope: { kind: "none", reason: "invalid" } },
      support.api,
    );
    expect(result).toEqual({ users: [], total: 0, page: 1, perPage: 10, isCapped: false });
    expect(await searches()).toBe(before);
  });

  it("an organization the readonly client cannot list members of: nobody", async () => {
    const acme = await acmeId(support.api);
    expect(await resolveScope({ connections: [], organizations: [acme], filter: null }, support.readonlyApi)).toEqual({
      kind: "none",
      reason: "organization_unavailable",
      detail: acme,
    });
  });

  it("isUserInScope asks fresh: filter, organization, vanished organization, invalid", async () => {
    const acme = await acmeId(support.api);
    const alice = await idOf(support.api, "alice.demo@example.com");
    const blocked = await idOf(support.api, "blocked.demo@example.com");
    expect(await isUserInScope(null, blocked, support.api)).toBe(true);
    expect(await isUserInScope(EU, alice, support.api)).toBe(true);
    expect(await isUserInScope(EU, blocked, support.api)).toBe(false);
    const acmeScope = { connections: [], organizations: [acme], filter: null };
    expect(await isUserInScope(acmeScope, alice, support.api)).toBe(true);
    const members = new Set((await listOrganizationMembers(acme, support.api)).map((m) => m.userId));
    const outsider = (await allIds({ kind: "all" }, support.api)).find((id) => !members.has(id)) ?? "";
    expect(await isUserInScope(acmeScope, outsider, support.api)).toBe(false);
    expect(await isUserInScope({ ...acmeScope, organizations: [acme, "org_gone0000000000"] }, alice, support.api)).toBe(false);
    expect(await isUserInScope(INVALID_SCOPE, alice, support.api)).toBe(false);
    expect(await isUserInScope(EU, "auth0|000000000000000000000000", support.api)).toBe(false);
    expect(await isUserInScope(EU, "not an id", support.api)).toBe(false);
  });

  it("usersInScope: a batch, checked in one go", async () => {
    const ids = await Promise.all(
      ["alice.demo@example.com", "blocked.demo@example.com", "linked.demo@example.com", "never.demo@example.com"].map((email) =>
        idOf(support.api, email),
      ),
    );
    const [alice, , linked] = ids;
    expect(await usersInScope(EU, ids, support.api)).toEqual(new Set([alice, linked]));
    const acme = await acmeId(support.api);
    const members = new Set((await listOrganizationMembers(acme, support.api)).map((m) => m.userId));
    const everyone = await allIds({ kind: "all" }, support.api);
    const sample = everyone.slice(0, 120);
    expect(await usersInScope({ connections: [], organizations: [acme], filter: null }, sample, support.api)).toEqual(
      new Set(sample.filter((id) => members.has(id))),
    );
  });
});
