import { randomInt } from "node:crypto";
import type { TenantContext } from "./context.ts";
import type { ResetLink } from "./types.ts";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 32 random alphanumerics (~190 bits), like Auth0's ticket ids. */
function newLinkId(): string {
  let id = "";
  for (let i = 0; i < 32; i++) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

export function resetLinkUrl(context: TenantContext, id: string): string {
  return `https://${context.domain}/u/reset-password?ticket=${id}#`;
}

/** Creates a reset link; it supersedes every earlier link of the same user. */
export function createResetLink(
  context: TenantContext,
  fields: Omit<ResetLink, "id" | "created_at" | "expires_at">,
  ttlSec: number,
): ResetLink {
  const now = context.now();
  const link: ResetLink = { ...fields, id: newLinkId(), created_at: now, expires_at: now + ttlSec * 1000 };
  context.store.addResetLink(link);
  return link;
}

export type LinkState = "valid" | "unknown" | "used" | "expired" | "superseded";

export function linkState(context: TenantContext, id: string | null): { state: LinkState; link?: ResetLink } {
  const link = id ? context.store.resetLinks.get(id) : undefined;
  if (!link || !context.store.users.has(link.user_id)) return { state: "unknown" };
  if (link.used_at !== undefined) return { state: "used", link };
  if (context.store.latestLinkByUser.get(link.user_id) !== link.id) return { state: "superseded", link };
  if (context.now() >= link.expires_at) return { state: "expired", link };
  return { state: "valid", link };
}

export function markLinkUsed(context: TenantContext, link: ResetLink): void {
  link.used_at = context.now();
  context.store.changed();
}
