import { createHash } from "node:crypto";
import type { User } from "./types.ts";

/** An organization as GET /api/v2/organizations returns it [OAS]. */
export type Organization = {
  id: string;
  name: string;
  display_name: string;
  branding?: { logo_url?: string; colors?: { primary?: string; page_background?: string } };
  metadata?: Record<string, string>;
};

export function organizationId(name: string): string {
  return `org_${createHash("sha256").update(`org:${name}`).digest("base64url").replace(/[-_]/g, "x").slice(0, 16)}`;
}

const SEEDED: { name: string; display_name: string; primary: string }[] = [
  { name: "acme", display_name: "Acme Corporation", primary: "#0059d6" },
  { name: "globex", display_name: "Globex", primary: "#1f8a3a" },
  { name: "initech", display_name: "Initech", primary: "#a12a2a" },
];

/**
 * Seeds three organizations. alice.demo@example.com belongs to acme and globex,
 * saml.demo@acme.example to acme; about 1 in 6 other users to one of them (by user id hash).
 */
export function seedOrganizations(users: Iterable<User>): {
  organizations: Organization[];
  members: Map<string, string[]>;
} {
  const organizations = SEEDED.map((o) => ({
    id: organizationId(o.name),
    name: o.name,
    display_name: o.display_name,
    branding: { colors: { primary: o.primary, page_background: "#ffffff" } },
    metadata: {},
  }));
  const members = new Map<string, string[]>(organizations.map((o) => [o.id, []]));
  const add = (index: number, userId: string): void => {
    const org = organizations[index];
    if (org) members.get(org.id)?.push(userId);
  };
  for (const user of users) {
    if (user.email === "alice.demo@example.com") {
      add(0, user.user_id);
      add(1, user.user_id);
      continue;
    }
    if (user.email === "saml.demo@acme.example") {
      add(0, user.user_id);
      continue;
    }
    const b = createHash("sha256").update(`orgs:${user.user_id}`).digest()[0] ?? 0;
    // A multiple of 6 is a multiple of 3 too, so the organization comes from the other digits.
    if (b % 6 === 0) add(Math.floor(b / 6) % 3, user.user_id);
  }
  return { organizations, members };
}
