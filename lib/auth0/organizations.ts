import "server-only";
import { z } from "zod";
import { getManagementApi, type ManagementApi } from "./client";
import { nullWhenNotFound, parseResponse } from "./errors";
import { runScoped } from "./scopes";
import { isPlausibleUserId } from "./users";

export type OrganizationSummary = { id: string; name: string; displayName: string };
export type OrganizationMember = {
  userId: string;
  name: string | null;
  email: string | null;
  picture: string | null;
};

const orgSchema = z
  .object({ id: z.string(), name: z.string(), display_name: z.string().nullish() })
  .passthrough();
const memberSchema = z
  .object({
    user_id: z.string(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    picture: z.string().nullish(),
  })
  .passthrough();

/** Lists are followed page by page up to this many items (Auth0 shows members up to 1,000). */
const MAX_ITEMS = 1_000;

function toOrganization(raw: unknown): OrganizationSummary {
  const org = parseResponse(orgSchema, raw, "an organization");
  return { id: org.id, name: org.name, displayName: org.display_name ?? org.name };
}

type AnyPage = { data: unknown[]; hasNextPage(): boolean; getNextPage(): Promise<unknown> };

async function collect(first: AnyPage): Promise<unknown[]> {
  let page = first;
  const items = [...page.data];
  while (items.length < MAX_ITEMS && page.hasNextPage()) {
    page = (await page.getNextPage()) as AnyPage;
    items.push(...page.data);
  }
  return items.slice(0, MAX_ITEMS);
}

/**
 * The organizations a user belongs to (`GET /api/v2/users/{id}/organizations`, scope
 * read:organizations); null when the user does not exist.
 */
export async function listUserOrganizations(
  userId: string,
  api: ManagementApi = getManagementApi(),
): Promise<OrganizationSummary[] | null> {
  if (!isPlausibleUserId(userId)) return null;
  return nullWhenNotFound(
    runScoped(
      api,
      "users.organizations.list",
      ["read:organizations"],
      async (client, options) =>
        collect(
          await client.users.organizations.list(userId, { per_page: 100, include_totals: true }, options),
        ),
      { idempotent: true },
    ).then((items) => items.map(toOrganization)),
  );
}

/** Every organization of the tenant (`GET /api/v2/organizations`, checkpoint paging), up to 1,000. */
export async function listOrganizations(
  api: ManagementApi = getManagementApi(),
): Promise<OrganizationSummary[]> {
  const items = await runScoped(
    api,
    "organizations.list",
    ["read:organizations", "read:organizations_summary"],
    async (client, options) => collect(await client.organizations.list({ take: 100 }, options)),
    { idempotent: true },
  );
  return items.map(toOrganization);
}

/**
 * An organization's members (`GET /api/v2/organizations/{id}/members`, scope
 * read:organization_members), up to 1,000; Auth0's list is eventually consistent.
 * Throws Auth0NotFoundError for an unknown organization.
 */
export async function listOrganizationMembers(
  organizationId: string,
  api: ManagementApi = getManagementApi(),
): Promise<OrganizationMember[]> {
  const items = await runScoped(
    api,
    "organizations.members.list",
    ["read:organization_members"],
    async (client, options) =>
      collect(await client.organizations.members.list(organizationId, { take: 100 }, options)),
    { idempotent: true },
  );
  return items.map((raw) => {
    const member = parseResponse(memberSchema, raw, "an organization member");
    return {
      userId: member.user_id,
      name: member.name ?? null,
      email: member.email ?? null,
      picture: member.picture ?? null,
    };
  });
}

/** Adds users to an organization (`POST /api/v2/organizations/{id}/members`, create:organization_members). */
export async function addOrganizationMembers(
  organizationId: string,
  userIds: readonly string[],
  api: ManagementApi = getManagementApi(),
): Promise<void> {
  if (userIds.length === 0) return;
  // Adding a member twice leaves the same membership: safe to retry.
  await runScoped(
    api,
    "organizations.members.create",
    ["create:organization_members"],
    (client, options) =>
      client.organizations.members.create(organizationId, { members: [...userIds] }, options),
    { idempotent: true },
  );
}
