import "server-only";
import { getManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { listConnections } from "@/lib/auth0/connections";
import { Auth0InvalidRequestError } from "@/lib/auth0/errors";
import { listOrganizations } from "@/lib/auth0/organizations";
import { searchUsers } from "@/lib/auth0/users";
import { storedScopeSchema } from "./schema";
import { normalizeScope, type StoredScope } from "./types";

/**
 * Checks a scope before it is saved (Operators page, CLI, OIDC scope mapping), against the real
 * tenant: the syntax (storedScopeSchema), that every connection exists, that every organization
 * exists (given by id or by name; stored as its id), and that Auth0 accepts the filter (one real
 * search with it, one result). Nothing is saved here; a refused scope names each problem.
 */

/** What an operator types: organizations by id (`org_…`) or by name (`acme`). */
export type ScopeInput = { connections?: readonly string[]; organizations?: readonly string[]; filter?: string | null };

export type ScopeField = "connections" | "organizations" | "filter";

/** The message keys under `OperatorScope.errors` (en/ja). */
export type ScopeProblemCode =
  | "connection_invalid"
  | "connection_unknown"
  | "organization_invalid"
  | "organization_unknown"
  | "too_many"
  | "filter_too_long"
  | "filter_unbalanced"
  | "filter_rejected";

export type ScopeProblem = {
  field: ScopeField;
  code: ScopeProblemCode;
  /** The connection or organization the problem is about. */
  value?: string;
  /** With filter_rejected: Auth0's own message (safe to show; it names the syntax error). */
  auth0Message?: string;
};

/** `scope` null = the whole tenant. */
export type ScopeValidation = { ok: true; scope: StoredScope | null } | { ok: false; problems: ScopeProblem[] };

const SCHEMA_CODES: Record<string, ScopeProblemCode> = {
  "scope.connection_invalid": "connection_invalid",
  "scope.organization_invalid": "organization_invalid",
  "scope.filter_too_long": "filter_too_long",
  "scope.filter_unbalanced": "filter_unbalanced",
};

function trimmedList(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((value) => value.trim()).filter(Boolean))];
}

/** Syntax only (no Auth0 call): the schema's issues as problems. */
function syntaxProblems(scope: StoredScope): ScopeProblem[] {
  const parsed = storedScopeSchema.safeParse(scope);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const field = (issue.path[0] as ScopeField | undefined) ?? "filter";
    const index = typeof issue.path[1] === "number" ? issue.path[1] : undefined;
    const listed = field === "filter" || index === undefined ? undefined : scope[field][index];
    return { field, code: SCHEMA_CODES[issue.message] ?? "too_many", ...(listed === undefined ? {} : { value: listed }) };
  });
}

export async function validateScope(input: ScopeInput, api: ManagementApi = getManagementApi()): Promise<ScopeValidation> {
  const connections = trimmedList(input.connections);
  const organizationsTyped = trimmedList(input.organizations);
  const filter = input.filter?.trim() ? input.filter.trim() : null;
  const problems: ScopeProblem[] = [];

  // Organizations by id or by name (names are what people know; ids are what Auth0 keeps).
  const organizations: string[] = [];
  if (organizationsTyped.length > 0) {
    const known = await listOrganizations(api);
    for (const typed of organizationsTyped) {
      const found = known.find((org) => org.id === typed) ?? known.find((org) => org.name === typed.toLowerCase());
      if (found) organizations.push(found.id);
      else problems.push({ field: "organizations", code: "organization_unknown", value: typed });
    }
  }

  const candidate: StoredScope = { connections, organizations, filter };
  problems.push(...syntaxProblems(candidate));
  if (problems.some((problem) => problem.code !== "organization_unknown")) return { ok: false, problems };

  if (connections.length > 0) {
    const names = new Set((await listConnections(api)).map((connection) => connection.name));
    for (const name of connections) {
      if (!names.has(name)) problems.push({ field: "connections", code: "connection_unknown", value: name });
    }
  }
  if (filter !== null) {
    try {
      await searchUsers({ field: "lucene", text: filter, page: 1, perPage: 10 }, api);
    } catch (error) {
      if (!(error instanceof Auth0InvalidRequestError)) throw error;
      problems.push({ field: "filter", code: "filter_rejected", auth0Message: error.message });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, scope: normalizeScope(candidate) };
}
