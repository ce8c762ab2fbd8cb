import { describe, expect, it } from "vitest";
import { Auth0NotFoundError, Auth0ScopeError } from "@/lib/auth0/errors";
import {
  addOrganizationMembers,
  listOrganizationMembers,
  listOrganizations,
  listUserOrganizations,
} from "@/lib/auth0/organizations";
import { createDatabaseUser, setUpSupportTenant } from "./support-helpers";

const support = setUpSupportTenant(40);

describe("organizations", () => {
  it("lists the tenant's organizations and adds a member the user's list then shows", async () => {
    const organizations = await listOrganizations(support.api);
    expect(organizations.map((o) => [o.name, o.displayName])).toEqual([
      ["acme", "Acme Corporation"],
      ["globex", "Globex"],
      ["initech", "Initech"],
    ]);
    const initech = organizations[2];
    const { id, email } = await createDatabaseUser(support.api, "org");
    expect(await listUserOrganizations(id, support.api)).toEqual([]);
    await addOrganizationMembers(initech?.id ?? "", [id], support.api);
    expect(await listUserOrganizations(id, support.api)).toEqual([initech]);
    const members = await listOrganizationMembers(initech?.id ?? "", support.api);
    expect(members.find((m) => m.userId === id)).toMatchObject({ email, name: email });
  });

  it("null for an unknown user, not-found for an unknown organization, scope error naming the scope", async () => {
    expect(await listUserOrganizations("auth0|000000000000000000000000", support.api)).toBeNull();
    await expect(listOrganizationMembers("org_doesnotexist0000", support.api)).rejects.toBeInstanceOf(
      Auth0NotFoundError,
    );
    const error = await listOrganizations(support.readonlyApi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Auth0ScopeError);
    expect((error as Auth0ScopeError).scopes).toEqual(["read:organizations", "read:organizations_summary"]);
  });
});
