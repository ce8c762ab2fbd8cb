import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness for load balancers and `npm run demo`; no authentication, no secrets.
 * `{status, db, auth0}`: 503 only when the database is down; Auth0 trouble is a 200 with
 * `"auth0": "degraded"` (see lib/health.ts for why).
 */
export async function GET() {
  const { report, httpStatus } = await checkHealth();
  return NextResponse.json(report, { status: httpStatus, headers: { "Cache-Control": "no-store" } });
}
