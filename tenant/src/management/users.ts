import { createHash, randomBytes } from "node:crypto";
import { clientIdOf } from "../auth/bearer.ts";
import { ApiError, readBody, sendJson, type JsonObject } from "../http.ts";
import { writeLog } from "../logs.ts";
import { LuceneSyntaxError, parseLucene, type LuceneNode } from "../lucene/index.ts";
import { planSearch } from "../search-index.ts";
import { hashPassword } from "../password-hash.ts";
import { checkPassword, POLICY_ERRORS } from "../policy.ts";
import {
  booleanParam,
  integerParam,
  payloadTypeError,
  projectFields,
  rejectUnknownProperties,
  sortParam,
  sortRecords,
} from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import type { User } from "../types.ts";
import {
  changePassword,
  getUserOr404,
  isDatabaseConnection,
  nowIso,
  passwordConnectionOf,
} from "../user-service.ts";
import { apiLog } from "./api-log.ts";

/** Auth0 returns at most this many results per search. */
export const SEARCH_RESULT_CAP = 1000;

function parseQuery(q: string): LuceneNode | null {
  if (q.trim() === "") return null;
  try {
    return parseLucene(q);
  } catch (error) {
    if (error instanceof LuceneSyntaxError)
      throw new ApiError(400, `Invalid query: ${error.message}`, "invalid_query_string");
    throw error;
  }
}

/** GET /api/v2/users */
export async function listUsers({ context, res, url }: RouteRequest): Promise<void> {
  const perPage = integerParam(url, "per_page", {
    min: 0,
    max: 100,
    fallback: 50,
    description: "Number of results per page. Paging is disabled if parameter not sent.",
  });
  const page = integerParam(url, "page", {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 0,
    description: "Page index of the results to return. First page is 0.",
  });
  const includeTotals = booleanParam(url, "include_totals", false);
  const sort = sortParam(url);
  const engine = url.searchParams.get("search_engine");
  if (engine === "v1")
    throw new ApiError(
      400,
      "You are not allowed to use search_engine=v1. Use search_engine=v3 instead.",
      "operation_not_supported",
    );
  if (engine !== null && engine !== "v2" && engine !== "v3")
    throw new ApiError(
      400,
      `Query validation error: 'Invalid value "${engine}"' on property search_engine.`,
      "invalid_query_string",
    );
  const node = parseQuery(url.searchParams.get("q") ?? "");
  const connection = url.searchParams.get("connection");

  if (page * perPage + perPage > SEARCH_RESULT_CAP) {
    throw new ApiError(
      400,
      `You can only page through the first ${SEARCH_RESULT_CAP} records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation`,
      "invalid_paging",
    );
  }

  let matched: User[] = [];
  // Exact terms (`email:"x"`, `user_id:(…)`, `identities.connection:"y"`, app_metadata values)
  // are read from the search index, as Auth0's Elasticsearch would; the result is a scan's.
  const plan = planSearch(context.store.users, context.store.searchIndex, node);
  for (const user of plan.candidates) {
    if (connection && !user.identities.some((i) => i.connection === connection)) continue;
    if (!plan.test(user)) continue;
    matched.push(user);
  }
  if (sort) matched = sortRecords(matched, sort);
  const total = Math.min(matched.length, SEARCH_RESULT_CAP);
  const start = page * perPage;
  const users = matched.slice(start, Math.min(start + perPage, total)).map((u) => projectFields(url, u));
  if (includeTotals) sendJson(res, 200, { start, limit: perPage, length: users.length, users, total });
  else sendJson(res, 200, users);
}

/** GET /api/v2/users/{id} */
export async function getUser({ context, res, url, params }: RouteRequest): Promise<void> {
  const user = getUserOr404(context, params[0] ?? "");
  sendJson(res, 200, projectFields(url, user));
}

/** GET /api/v2/users-by-email */
export async function usersByEmail({ context, res, url }: RouteRequest): Promise<void> {
  const email = url.searchParams.get("email");
  if (email === null || email === "")
    throw new ApiError(
      400,
      "Query validation error: 'Missing required property: email'.",
      "invalid_query_string",
    );
  sendJson(
    res,
    200,
    context.store.usersByEmail(email).map((u) => projectFields(url, u)),
  );
}

const CREATE_PROPERTIES = [
  "connection",
  "email",
  "password",
  "email_verified",
  "verify_email",
  "username",
  "phone_number",
  "phone_verified",
  "user_metadata",
  "app_metadata",
  "given_name",
  "family_name",
  "name",
  "nickname",
  "picture",
  "user_id",
  "blocked",
] as const;

const UPDATE_PROPERTIES = [
  "blocked",
  "email_verified",
  "email",
  "phone_number",
  "phone_verified",
  "user_metadata",
  "app_metadata",
  "given_name",
  "family_name",
  "name",
  "nickname",
  "picture",
  "verify_email",
  "verify_phone_number",
  "password",
  "connection",
  "client_id",
  "username",
] as const;

const STRING_FIELDS = [
  "email",
  "username",
  "phone_number",
  "given_name",
  "family_name",
  "name",
  "nickname",
  "picture",
  "password",
  "connection",
  "user_id",
  "client_id",
];
const BOOLEAN_FIELDS = ["email_verified", "verify_email", "phone_verified", "blocked", "verify_phone_number"];
const OBJECT_FIELDS = ["user_metadata", "app_metadata"];

function validateTypes(body: JsonObject): void {
  for (const [key, value] of Object.entries(body)) {
    if (STRING_FIELDS.includes(key) && typeof value !== "string")
      throw payloadTypeError(key, "string", value);
    if (BOOLEAN_FIELDS.includes(key) && typeof value !== "boolean")
      throw payloadTypeError(key, "boolean", value);
    if (OBJECT_FIELDS.includes(key) && (typeof value !== "object" || value === null || Array.isArray(value)))
      throw payloadTypeError(key, "object", value);
  }
  if (typeof body["email"] === "string" && !/^[^\s@]+@[^\s@]+$/.test(body["email"])) {
    throw new ApiError(
      400,
      "Payload validation error: 'Object didn't pass validation for format email: " +
        body["email"] +
        "' on property email (The user's email).",
      "invalid_body",
    );
  }
}

/** Auth0 merges metadata one level deep; a null value removes the key. */
function mergeMetadata(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function gravatarFor(email: string): string {
  const digest = createHash("md5").update(email.trim().toLowerCase()).digest("hex");
  return `https://s.gravatar.com/avatar/${digest}?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2F${encodeURIComponent(email.slice(0, 2).toLowerCase())}.png`;
}

/** POST /api/v2/users */
export async function createUser(request: RouteRequest): Promise<void> {
  const { context, res } = request;
  const body = await readBody(request.req);
  rejectUnknownProperties(body, CREATE_PROPERTIES);
  validateTypes(body);
  const connectionName = body["connection"];
  if (typeof connectionName !== "string")
    throw new ApiError(
      400,
      "Payload validation error: 'Missing required property: connection'.",
      "invalid_body",
    );
  const connection = context.store.connectionByName(connectionName);
  if (!connection) throw new ApiError(400, "The connection does not exist.", "inexistent_connection");
  if (!isDatabaseConnection(connection)) {
    throw new ApiError(
      400,
      "The connection does not support user creation through the API. It must either be a database or passwordless connection.",
      "operation_not_supported",
    );
  }
  const email = body["email"];
  const password = body["password"];
  if (typeof email !== "string")
    throw new ApiError(400, "Payload validation error: 'Missing required property: email'.", "invalid_body");
  if (typeof password !== "string")
    throw new ApiError(
      400,
      "Payload validation error: 'Missing required property: password'.",
      "invalid_body",
    );
  if (context.store.findInConnection(email, connection.name))
    throw new ApiError(409, "The user already exists.", "auth0_idp_error");

  const rawId =
    typeof body["user_id"] === "string" && body["user_id"] !== ""
      ? body["user_id"]
      : randomBytes(12).toString("hex");
  const userId = `auth0|${rawId}`;
  if (context.store.users.has(userId)) throw new ApiError(409, "The user already exists.", "auth0_idp_error");
  const now = nowIso();
  const lowerEmail = email.toLowerCase();
  const user: User = {
    user_id: userId,
    email: lowerEmail,
    email_verified: body["email_verified"] === true,
    created_at: now,
    updated_at: now,
    identities: [{ connection: connection.name, user_id: rawId, provider: "auth0", isSocial: false }],
    app_metadata: (body["app_metadata"] as Record<string, unknown> | undefined) ?? {},
    user_metadata: (body["user_metadata"] as Record<string, unknown> | undefined) ?? {},
    picture: typeof body["picture"] === "string" ? body["picture"] : gravatarFor(lowerEmail),
    name: typeof body["name"] === "string" ? body["name"] : lowerEmail,
    nickname:
      typeof body["nickname"] === "string" ? body["nickname"] : (lowerEmail.split("@")[0] ?? lowerEmail),
  };
  for (const key of ["given_name", "family_name", "username", "phone_number"] as const) {
    const value = body[key];
    if (typeof value === "string") user[key] = value;
  }
  if (body["blocked"] === true) user.blocked = true;

  const failure = await checkPassword(connection, user, undefined, password);
  if (failure) throw new ApiError(400, POLICY_ERRORS[failure]);
  const hash = await hashPassword(password);
  context.store.putUser(user, { passwordHash: hash, passwordHistory: [hash], sessionsValidAfter: 0 });
  apiLog(request, "Create a User", body, 201);
  sendJson(res, 201, user);
}

/** PATCH /api/v2/users/{id} */
export async function updateUser(request: RouteRequest): Promise<void> {
  const { context, res, params } = request;
  const body = await readBody(request.req);
  rejectUnknownProperties(body, UPDATE_PROPERTIES);
  validateTypes(body);
  if (Object.keys(body).length === 0)
    throw new ApiError(
      400,
      "Payload validation error: 'Too few properties defined (0), must be at least 1.'.",
      "invalid_body",
    );
  const existing = getUserOr404(context, params[0] ?? "");
  context.stats.patches += 1;

  let user: User = { ...existing };
  const connectionName = typeof body["connection"] === "string" ? body["connection"] : undefined;
  const password = typeof body["password"] === "string" ? body["password"] : undefined;

  if (typeof body["email"] === "string" && body["email"].toLowerCase() !== existing.email) {
    const primary = existing.identities[0]?.connection ?? "";
    const email = body["email"].toLowerCase();
    if (context.store.findInConnection(email, primary))
      throw new ApiError(400, "The specified new email already exists", "email_conflict");
    user.email = email;
    user.email_verified = body["email_verified"] === true;
  }
  for (const key of [
    "name",
    "given_name",
    "family_name",
    "nickname",
    "picture",
    "username",
    "phone_number",
  ] as const) {
    const value = body[key];
    if (typeof value === "string") user[key] = value;
  }
  if (typeof body["email_verified"] === "boolean") user.email_verified = body["email_verified"];
  if (body["blocked"] === true) user.blocked = true;
  if (body["blocked"] === false) delete user.blocked;
  if (body["user_metadata"])
    user.user_metadata = mergeMetadata(user.user_metadata, body["user_metadata"] as Record<string, unknown>);
  if (body["app_metadata"])
    user.app_metadata = mergeMetadata(user.app_metadata, body["app_metadata"] as Record<string, unknown>);
  user.updated_at = nowIso();

  if (password !== undefined) {
    let connection;
    try {
      connection = passwordConnectionOf(context, existing, connectionName);
      context.store.putUser(user);
      user = await changePassword(context, user, connection, password, {
        clearBlocked: body["blocked"] !== true,
      });
    } catch (error) {
      if (error instanceof ApiError) {
        if (connection) context.store.putUser(existing);
        writeLog(context, {
          type: "fcp",
          description: error.message,
          ip: request.ip,
          user_id: existing.user_id,
          ...(existing.email === undefined ? {} : { user_name: existing.email }),
          ...(connection ? { connection: connection.name, connection_id: connection.id } : {}),
          ...(request.claims && clientIdOf(request.claims) ? { client_id: clientIdOf(request.claims) } : {}),
        });
      }
      throw error;
    }
    const clientId = request.claims ? clientIdOf(request.claims) : undefined;
    writeLog(context, {
      type: "scp",
      description: "Password changed through the Management API",
      ip: request.ip,
      user_id: user.user_id,
      ...(user.email === undefined ? {} : { user_name: user.email }),
      connection: connection.name,
      connection_id: connection.id,
      ...(clientId === undefined ? {} : { client_id: clientId }),
    });
  } else {
    context.store.putUser(user);
  }
  apiLog(request, "Update a User", body, 200);
  sendJson(res, 200, user);
}

/** DELETE /api/v2/users/{id} */
export async function deleteUser(request: RouteRequest): Promise<void> {
  const { context, res, params } = request;
  const id = params[0] ?? "";
  // Auth0 answers 204 even for an unknown id.
  context.store.deleteUser(id);
  context.sessions.revokeUser(id);
  apiLog(request, "Delete a User", {}, 204);
  res.writeHead(204);
  res.end();
}
