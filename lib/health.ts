import "server-only";
import { getAuth0Health, type Auth0Health } from "@/lib/auth0/health";
import { getPrisma } from "@/lib/db";

/** "ok" when the database answers a trivial query, otherwise a short reason (never a secret). */
export async function checkDatabase(): Promise<string> {
  try {
    const db = await getPrisma();
    await db.$queryRaw`SELECT 1`;
    return "ok";
  } catch (error) {
    return error instanceof Error && error.name === "DatabaseLockedError" ? "locked" : "unavailable";
  }
}

export type HealthReport = {
  /** "ok" when everything is; "degraded" when the database or Auth0 is not. */
  status: "ok" | "degraded";
  db: string;
  auth0: Auth0Health;
};

/**
 * The health report and its HTTP status. Only the database decides the status code: without it
 * this instance can do nothing (503 takes it out of the load balancer), while a degraded Auth0
 * affects every instance alike — taking them all out would turn "password changes fail" into
 * "Passdesk is down", hiding the audit log and the clear error messages. So Auth0 trouble is
 * reported in the body with a 200, for monitoring to alert on.
 */
export async function checkHealth(): Promise<{ report: HealthReport; httpStatus: 200 | 503 }> {
  const db = await checkDatabase();
  // From the outcomes of recent Auth0 calls (lib/auth0/health): no Auth0 request per check.
  const auth0 = getAuth0Health();
  return {
    report: { status: db === "ok" && auth0 === "ok" ? "ok" : "degraded", db, auth0 },
    httpStatus: db === "ok" ? 200 : 503,
  };
}
