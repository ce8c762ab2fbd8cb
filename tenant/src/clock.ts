import { readBody, sendJson } from "./http.ts";
import { requireControlToken } from "./control.ts";
import type { RouteRequest } from "./router-types.ts";

/**
 * The tenant's clock for time-based rules that take days (brute-force blocks expire 30 days
 * after the last failed attempt). Tests move it forward through the control API instead of
 * waiting; everything else keeps using the wall clock.
 */
export class TenantClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offsetSec(): number {
    return Math.round(this.offsetMs / 1000);
  }
}

/** POST /__control/clock `{advanceSec}` moves the tenant's clock forward; `{reset:true}` resets it. */
export async function controlClock(request: RouteRequest): Promise<void> {
  requireControlToken(request);
  const body = await readBody(request.req);
  const clock = request.context.clock;
  if (body["reset"] === true) clock.reset();
  const advance = body["advanceSec"];
  if (typeof advance === "number" && Number.isFinite(advance) && advance > 0) clock.advance(advance * 1000);
  sendJson(request.res, 200, { now: new Date(clock.now()).toISOString(), offsetSec: clock.offsetSec });
}
