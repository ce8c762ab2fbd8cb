import { NextResponse } from "next/server";
import { checkDatabase } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Liveness and readiness for load balancers and `npm run demo`; no authentication, no secrets. */
export async function GET() {
  const db = await checkDatabase();
  const healthy = db === "ok";
  return NextResponse.json({ status: healthy ? "ok" : "degraded", db }, { status: healthy ? 200 : 503 });
}
