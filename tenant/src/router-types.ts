import type { IncomingMessage, ServerResponse } from "node:http";
import type { ManagementClaims } from "./auth/bearer.ts";
import type { TenantContext } from "./context.ts";
import type { RateLimitGroup } from "./rate-limit.ts";

export type RouteRequest = {
  context: TenantContext;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Decoded path parameters, in order. */
  params: string[];
  ip: string;
  /** Set for Management API routes once the bearer token passed. */
  claims?: ManagementClaims;
};

export type Route = {
  method: string;
  pattern: RegExp;
  /** Stable name for stats, e.g. "GET /api/v2/users/{id}". */
  name: string;
  /** Rate-limit group; null for routes that are not limited (control API). */
  group: RateLimitGroup | null;
  /** Management API scopes, any one of which is required. */
  scopes?: readonly string[];
  handler: (request: RouteRequest) => Promise<void>;
};
