import { z } from "zod";
import { MAX_LUCENE_QUERY_LENGTH, hasBalancedGroups } from "@/lib/auth0/lucene";
import { INVALID_SCOPE, normalizeScope, type OperatorScope, type StoredScope } from "./types";

/** Auth0 connection names: letters, digits and hyphens, not starting or ending with a hyphen, ≤ 128 [Auth0]. */
export const CONNECTION_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,126}[A-Za-z0-9])?$/;
/** Auth0 organization ids: `org_` then letters and digits. */
export const ORGANIZATION_ID = /^org_[A-Za-z0-9]{1,64}$/;
/** More than this many of either list is refused (a scope is a help desk's slice, not a list of users). */
export const MAX_SCOPE_ITEMS = 50;

/**
 * The shape of a scope as typed on the Operators page, the CLI or an OIDC role mapping. This is
 * only the syntax check; whether the connections and organizations exist and the filter is
 * accepted by Auth0 is checked against the tenant when it is saved.
 */
export const storedScopeSchema = z
  .object({
    connections: z.array(z.string().trim().regex(CONNECTION_NAME, "scope.connection_invalid")).max(MAX_SCOPE_ITEMS).default([]),
    organizations: z.array(z.string().trim().regex(ORGANIZATION_ID, "scope.organization_invalid")).max(MAX_SCOPE_ITEMS).default([]),
    filter: z
      .string()
      .trim()
      .max(MAX_LUCENE_QUERY_LENGTH, "scope.filter_too_long")
      .refine(hasBalancedGroups, "scope.filter_unbalanced")
      .nullish()
      .transform((value) => (value ? value : null)),
  })
  .strict();

/** Reads Operator.scope: null → whole tenant; a value that does not parse → INVALID_SCOPE (nobody). */
export function parseStoredScope(value: unknown): OperatorScope | null {
  if (value === null || value === undefined) return null;
  const parsed = storedScopeSchema.safeParse(value);
  if (!parsed.success) return INVALID_SCOPE;
  const normalized = normalizeScope(parsed.data as StoredScope);
  // Stored but empty: only our own code writes this column and it writes null for "whole tenant",
  // so an empty object is damage — fail closed.
  return normalized ?? INVALID_SCOPE;
}
