import "server-only";
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
