import { randomUUID } from "node:crypto";
import { ApiError, type JsonObject } from "./http.ts";

/** What an injected fault does to a matching request. */
export type FaultAction =
  | { type: "status"; status: number; retryAfterSec?: number }
  | { type: "delay"; ms: number }
  | { type: "hang" }
  | { type: "malformed-json" }
  | { type: "drop" };

export type FaultRule = {
  id: string;
  method?: string;
  /** A path prefix, or a regular expression written as "/…/". */
  path: string;
  /** How many more requests it applies to; unlimited when absent. */
  remaining?: number;
  action: FaultAction;
  hits: number;
};

function parseAction(value: unknown): FaultAction {
  if (typeof value !== "object" || value === null)
    throw new ApiError(400, "action is required", "invalid_body");
  const action = value as JsonObject;
  switch (action["type"]) {
    case "status": {
      const status = Number(action["status"]);
      if (!Number.isInteger(status) || status < 400 || status > 599)
        throw new ApiError(400, "action.status must be 400-599", "invalid_body");
      const retryAfter = action["retryAfterSec"];
      return {
        type: "status",
        status,
        ...(typeof retryAfter === "number" ? { retryAfterSec: retryAfter } : {}),
      };
    }
    case "delay": {
      const ms = Number(action["ms"]);
      if (!Number.isFinite(ms) || ms < 0)
        throw new ApiError(400, "action.ms must be a non-negative number", "invalid_body");
      return { type: "delay", ms };
    }
    case "hang":
    case "malformed-json":
    case "drop":
      return { type: action["type"] };
    default:
      throw new ApiError(
        400,
        "action.type must be status, delay, hang, malformed-json or drop",
        "invalid_body",
      );
  }
}

function pathMatches(pattern: string, path: string): boolean {
  if (
    pattern.length > 2 &&
    pattern.startsWith("/") &&
    pattern.endsWith("/") &&
    /[\\^$.*+?()[\]{}|]/.test(pattern)
  ) {
    return new RegExp(pattern.slice(1, -1)).test(path);
  }
  return path.startsWith(pattern);
}

/** Fault rules set through the control API; the first matching rule wins. */
export class FaultInjector {
  private rules: FaultRule[] = [];

  add(body: JsonObject): FaultRule {
    const path = body["path"];
    if (typeof path !== "string" || path === "") throw new ApiError(400, "path is required", "invalid_body");
    const method = body["method"];
    const times = body["times"];
    const rule: FaultRule = {
      id: `flt_${randomUUID()}`,
      path,
      action: parseAction(body["action"]),
      hits: 0,
      ...(typeof method === "string" ? { method: method.toUpperCase() } : {}),
      ...(typeof times === "number" ? { remaining: times } : {}),
    };
    if (rule.path.startsWith("/") && rule.path.endsWith("/") && rule.path.length > 2) {
      try {
        pathMatches(rule.path, "/");
      } catch {
        throw new ApiError(400, "path is not a valid regular expression", "invalid_body");
      }
    }
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The action for this request, consuming one use of the rule. */
  take(method: string, path: string): FaultAction | null {
    const rule = this.rules.find(
      (r) =>
        (!r.method || r.method === method) &&
        pathMatches(r.path, path) &&
        (r.remaining === undefined || r.remaining > 0),
    );
    if (!rule) return null;
    rule.hits += 1;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return rule.action;
  }
}
