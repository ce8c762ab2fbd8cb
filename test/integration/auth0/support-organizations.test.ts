import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { Auth0NotFoundError, Auth0ScopeError } from "@/lib/auth0/errors";
import {
  addOrganizationMembers,
  listOrganizationMembers,
  listOrganizations,
  listUserOrganizations,
} from "@/lib/auth0/organizations";
import { startLocalTenant, type LocalTenant } from "./local-tenant";
import { createDatabaseUser } from "./support-helpers";

let tenant: LocalTenant;
let api: ManagementApi;
let readonlyApi: ManagementApi;

beforeAll(async () => {
  tenant = await startLocalTenant(40);
  await tenant.control("PUT", "/__control/rate-limits", { disabled: true });
  const config = { domain: tenant.domain, caPem: tenant.caPem, timeoutMs: 5_000 };
  api = createManagementApi({
    ...config,
    clientId: "passdesk-demo-m2m",
    clientSecret: "passdesk-demo-m2m-secret",
  });
  readonlyApi = createManagementApi({
    ...config,
    clientId: "passdesk-demo-readonly",
    clientSecret: "passdesk-demo-readonly-secret",
  });
});

afterAll(async () => {
  await api?.close();
  await readonlyApi?.close();
  await tenant?.close();
});

describe("organizations", () => {
  it("lists the tenant's organizations and adds a member the user's list then shows", async () => {
    const organizations = await listOrganizations(api);
    expect(organizations.map((o) => [o.name, o.displayName])).toEqual([
      ["acme", "Acme Corporation"],
      ["globex", "Globex"],
      ["initech", "Initech"],
    ]);
    const initech = organizations[2];
    const { id, email } = await createDatabaseUser(api, "org");
    expect(await listUserOrganizations(id, api)).toEqual([]);
    await addOrganizationMembers(initech?.id ?? "", [id], api);
    expect(await listUserOrganizations(id, api)).toEqual([initech]);
    const members = await listOrganizationMembers(initech?.id ?? "", api);
    expect(members.find((m) => m.userId === id)).toMatchObject({ email, name: email });
  });

  it("null for an unknown user, not-found for an unknown organization, scope error naming the scope", async () => {
    expect(await listUserOrganizations("auth0|000000000000000000000000", api)).toBeNull();
    await expect(listOrganizationMembers("org_doesnotexist0000", api)).rejects.toBeInstanceOf(
      Auth0NotFoundError,
    );
    const error = await listOrganizations(readonlyApi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Auth0ScopeError);
    expect((error as Auth0ScopeError).scopes).toEqual(["read:organizations", "read:organizations_summary"]);
  });
});
