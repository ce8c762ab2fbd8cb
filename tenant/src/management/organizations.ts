import { ApiError, readBody, sendJson } from "../http.ts";
import { organizationId, type Organization } from "../organizations.ts";
import { booleanParam, integerParam, payloadTypeError, rejectUnknownProperties } from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import type { User } from "../types.ts";
import { getUserOr404 } from "../user-service.ts";
import { apiLog } from "./api-log.ts";

const ORG_NOT_FOUND = (): ApiError =>
  new ApiError(404, "The organization does not exist", "inexistent_organization");

/**
 * Offset (`page`, `per_page`, `include_totals`) or checkpoint (`from`, `take`) paging, as
 * /organizations and /organizations/{id}/members offer both [OAS]. Checkpoint: `from` is the
 * index to start at, `next` the following one (cursor format unconfirmed).
 */
function pageOf<T>(url: URL, key: string, items: T[], offsetMaxPage: number): Record<string, unknown> | T[] {
  if (url.searchParams.has("from") || url.searchParams.has("take")) {
    const take = integerParam(url, "take", { min: 1, max: 100, fallback: 50 });
    const from = url.searchParams.get("from");
    const start = from === null || from === "" ? 0 : Number.parseInt(from, 10);
    if (!Number.isInteger(start) || start < 0)
      throw new ApiError(
        400,
        "Query validation error: 'Invalid value' on property from.",
        "invalid_query_string",
      );
    const page = items.slice(start, start + take);
    const next = start + take < items.length ? String(start + take) : undefined;
    return { [key]: page, ...(next === undefined ? {} : { next }) };
  }
  const perPage = integerParam(url, "per_page", { min: 1, max: 100, fallback: 50 });
  const page = integerParam(url, "page", { min: 0, max: offsetMaxPage, fallback: 0 });
  const start = page * perPage;
  const slice = items.slice(start, start + perPage);
  if (booleanParam(url, "include_totals", false))
    return { start, limit: perPage, total: items.length, [key]: slice };
  return slice;
}

function memberJson(user: User): Record<string, unknown> {
  return {
    user_id: user.user_id,
    picture: user.picture,
    name: user.name,
    ...(user.email ? { email: user.email } : {}),
  };
}

function organizationOr404(request: RouteRequest): Organization {
  const org = request.context.store.organizations.find((o) => o.id === request.params[0]);
  if (!org) throw ORG_NOT_FOUND();
  return org;
}

/** GET /api/v2/organizations */
export async function listOrganizations({ context, res, url }: RouteRequest): Promise<void> {
  const sort = url.searchParams.get("sort");
  let organizations = [...context.store.organizations];
  const match = sort ? /^(name|display_name|created_at):(1|-1)$/.exec(sort) : null;
  if (sort && !match)
    throw new ApiError(
      400,
      "Query validation error: 'String does not match pattern' on property sort.",
      "invalid_query_string",
    );
  if (match?.[1] === "name" || match?.[1] === "display_name") {
    const field = match[1];
    const direction = match[2] === "1" ? 1 : -1;
    organizations = organizations.sort((a, b) => a[field].localeCompare(b[field]) * direction);
  }
  sendJson(res, 200, pageOf(url, "organizations", organizations, 1000));
}

const NAME = /^[a-z0-9](?:[a-z0-9_-]{0,48}[a-z0-9])?$/;

/** POST /api/v2/organizations → 201; 409 when the name is taken. */
export async function createOrganization(request: RouteRequest): Promise<void> {
  const { context, res } = request;
  const body = await readBody(request.req);
  rejectUnknownProperties(body, [
    "name",
    "display_name",
    "branding",
    "metadata",
    "enabled_connections",
    "token_quota",
  ]);
  const name = body["name"];
  if (name === undefined)
    throw new ApiError(400, "Payload validation error: 'Missing required property: name'.", "invalid_body");
  if (typeof name !== "string") throw payloadTypeError("name", "string", name);
  if (!NAME.test(name))
    throw new ApiError(
      400,
      "Payload validation error: 'String does not match pattern ^[a-z0-9]([a-z0-9_-]{0,48}[a-z0-9])?$' on property name.",
      "invalid_body",
    );
  if (body["display_name"] !== undefined && typeof body["display_name"] !== "string")
    throw payloadTypeError("display_name", "string", body["display_name"]);
  if (context.store.organizations.some((o) => o.name === name))
    throw new ApiError(409, "An organization with this name already exists.", "organization_conflict");
  const org: Organization = {
    id: organizationId(name),
    name,
    display_name: typeof body["display_name"] === "string" ? body["display_name"] : name,
    ...(typeof body["branding"] === "object" && body["branding"] !== null
      ? { branding: body["branding"] as Organization["branding"] & object }
      : {}),
    metadata: (body["metadata"] as Record<string, string> | undefined) ?? {},
  };
  context.store.organizations.push(org);
  context.store.organizationMembers.set(org.id, []);
  context.store.changed();
  apiLog(request, "Create an Organization", body, 201);
  sendJson(res, 201, org);
}

/** GET /api/v2/organizations/{id} */
export async function getOrganization(request: RouteRequest): Promise<void> {
  sendJson(request.res, 200, organizationOr404(request));
}

/** GET /api/v2/organizations/{id}/members → `{members, next?}` (checkpoint) or offset. */
export async function listOrganizationMembers(request: RouteRequest): Promise<void> {
  const org = organizationOr404(request);
  const { context, url, res } = request;
  const members = (context.store.organizationMembers.get(org.id) ?? [])
    .map((id) => context.store.users.get(id))
    .filter((u): u is User => u !== undefined)
    .map(memberJson);
  sendJson(res, 200, pageOf(url, "members", members, 1000));
}

/** POST /api/v2/organizations/{id}/members `{members:[user ids]}` → 204. */
export async function addOrganizationMembers(request: RouteRequest): Promise<void> {
  const org = organizationOr404(request);
  const body = await readBody(request.req);
  rejectUnknownProperties(body, ["members"]);
  const ids = body["members"];
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string"))
    throw new ApiError(
      400,
      "Payload validation error: 'Expected type array' on property members (List of user IDs to add to the organization as members).",
      "invalid_body",
    );
  const { store } = request.context;
  const missing = (ids as string[]).filter((id) => !store.users.has(id));
  if (missing.length > 0)
    throw new ApiError(400, `One or more users do not exist: ${missing.join(", ")}`, "invalid_body");
  const current = store.organizationMembers.get(org.id) ?? [];
  store.organizationMembers.set(org.id, [
    ...current,
    ...(ids as string[]).filter((id) => !current.includes(id)),
  ]);
  store.changed();
  apiLog(request, "Add members to an Organization", body, 204);
  request.res.writeHead(204);
  request.res.end();
}

/** GET /api/v2/users/{id}/organizations — offset only; array or `{start,limit,total,organizations}`. */
export async function listUserOrganizations(request: RouteRequest): Promise<void> {
  const user = getUserOr404(request.context, request.params[0] ?? "");
  const { store } = request.context;
  const organizations = store.organizations.filter((o) =>
    store.organizationMembers.get(o.id)?.includes(user.user_id),
  );
  const url = new URL(request.url.href);
  url.searchParams.delete("from");
  url.searchParams.delete("take");
  sendJson(request.res, 200, pageOf(url, "organizations", organizations, 1000));
}
