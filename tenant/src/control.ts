import policies from "auth0-password-policies";
import { mintManagementToken } from "./auth/token.ts";
import { ApiError, readBody, sendJson } from "./http.ts";
import {
  applyRateLimitOverrides,
  defaultRateLimits,
  type BucketConfig,
  type RateLimitGroup,
  type RateLimitOverrides,
} from "./rate-limit.ts";
import type { RouteRequest } from "./router-types.ts";
import type { ConnectionOptions } from "./types.ts";

/** The control API (bearer = control token) lets tests and demos steer the tenant. */
export function requireControlToken(request: RouteRequest): void {
  const match = /^Bearer\s+(\S+)$/i.exec(request.req.headers.authorization ?? "");
  if (match?.[1] !== request.context.controlToken) throw new ApiError(401, "Invalid control token");
}

export async function health({ context, res }: RouteRequest): Promise<void> {
  sendJson(res, 200, { status: "ok", domain: context.domain, users: context.store.users.size });
}

export async function addFault(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const rule = request.context.faults.add(await readBody(request.req));
  sendJson(request.res, 201, rule);
}

export async function listFaults(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  sendJson(request.res, 200, request.context.faults.list());
}

export async function clearFaults(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const id = request.params[0];
  if (id) {
    if (!request.context.faults.remove(id)) throw new ApiError(404, "No such fault");
  } else {
    request.context.faults.clear();
  }
  request.res.writeHead(204);
  request.res.end();
}

function parseBucket(value: unknown, name: string): BucketConfig {
  const bucket = value as Partial<BucketConfig> | null;
  if (
    !bucket ||
    typeof bucket.burst !== "number" ||
    typeof bucket.perMinute !== "number" ||
    bucket.burst < 0 ||
    bucket.perMinute < 0
  ) {
    throw new ApiError(400, `${name} needs numeric burst and perMinute`, "invalid_body");
  }
  return { burst: bucket.burst, perMinute: bucket.perMinute };
}

/** Body: {disabled?, groups?: {"users:read": {burst, perMinute}, ...}, changePassword?, reset?: true}. */
export async function putRateLimits(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const body = await readBody(request.req);
  const limiter = request.context.rateLimiter;
  const base = body["reset"] === true ? defaultRateLimits() : limiter.getConfig();
  const overrides: RateLimitOverrides = {};
  if (typeof body["disabled"] === "boolean") overrides.disabled = body["disabled"];
  if (body["groups"] && typeof body["groups"] === "object") {
    const groups: Partial<Record<RateLimitGroup, BucketConfig>> = {};
    for (const [group, value] of Object.entries(body["groups"] as Record<string, unknown>)) {
      if (!(group in base.groups))
        throw new ApiError(400, `Unknown rate-limit group ${group}`, "invalid_body");
      groups[group as RateLimitGroup] = parseBucket(value, group);
    }
    overrides.groups = groups;
  }
  if (body["changePassword"] !== undefined)
    overrides.changePassword = parseBucket(body["changePassword"], "changePassword");
  limiter.configure(applyRateLimitOverrides(base, overrides));
  sendJson(request.res, 200, limiter.getConfig());
}

export async function getStats(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const { stats, store } = request.context;
  sendJson(request.res, 200, {
    ...stats,
    users: store.users.size,
    outbox: store.outbox.length,
    logs: store.logs.length,
  });
}

export async function putSettings(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const body = await readBody(request.req);
  const lifetime = body["resetLinkLifetimeSec"];
  if (lifetime !== undefined) {
    if (typeof lifetime !== "number" || !Number.isFinite(lifetime) || lifetime <= 0)
      throw new ApiError(400, "resetLinkLifetimeSec must be a positive number", "invalid_body");
    request.context.store.settings = { ...request.context.store.settings, resetLinkLifetimeSec: lifetime };
    request.context.store.changed();
  }
  sendJson(request.res, 200, request.context.store.settings);
}

/**
 * PATCH /__control/connections/{name} {options} — changes a connection's options as an admin would
 * in the Auth0 Dashboard (shallow merge; a null value removes the option). Complexity options the
 * policy package refuses are refused here, as Auth0 refuses to store them.
 */
export async function patchConnection(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const name = decodeURIComponent(request.params[0] ?? "");
  const connection = request.context.store.connectionByName(name);
  if (!connection) throw new ApiError(404, "No such connection", "inexistent_connection");
  const body = await readBody(request.req);
  const patch = body["options"];
  if (!patch || typeof patch !== "object" || Array.isArray(patch))
    throw new ApiError(400, "options must be an object", "invalid_body");
  const options: ConnectionOptions = { ...connection.options };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete options[key];
    else options[key] = value;
  }
  const complexity = options.password_options?.complexity;
  if (complexity) {
    try {
      policies.createRulesFromOptions(complexity);
    } catch (error) {
      throw new ApiError(400, error instanceof Error ? error.message : "invalid complexity", "invalid_body");
    }
  }
  connection.options = options;
  request.context.store.changed();
  sendJson(request.res, 200, connection);
}

export async function resetTenant(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  await request.context.reseed();
  sendJson(request.res, 200, { status: "reset", users: request.context.store.users.size });
}

/** POST /__control/tokens {clientId, scopes?, expiresInSec?} — mint a token (e.g. an expired one). */
export async function mintToken(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const body = await readBody(request.req);
  const client = request.context.store.clients.get(String(body["clientId"] ?? ""));
  if (!client) throw new ApiError(404, "Unknown client");
  const scopes = Array.isArray(body["scopes"]) ? body["scopes"].map(String) : client.scopes;
  const lifetime = typeof body["expiresInSec"] === "number" ? body["expiresInSec"] : 86_400;
  sendJson(request.res, 200, {
    access_token: await mintManagementToken(request.context, client, scopes, lifetime),
  });
}

/**
 * PUT /__control/scopes {withhold: string[]} — treat these scopes as not granted in every
 * Management API token (as if an admin had removed them from the app's grant and the token
 * were re-issued); `{withhold: []}` restores them. A test control, not an Auth0 endpoint.
 */
export async function putScopes(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const body = await readBody(request.req);
  const withhold = body["withhold"];
  if (!Array.isArray(withhold) || !withhold.every((scope) => typeof scope === "string" && /^[a-z_]+:[a-z_]+$/.test(scope)))
    throw new ApiError(400, "withhold must be a list of scopes like read:logs", "invalid_body");
  request.context.withheldScopes = new Set(withhold as string[]);
  sendJson(request.res, 200, { withheld: [...request.context.withheldScopes] });
}
