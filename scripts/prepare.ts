/**
 * Runs before the server starts, in its own process: applies database migrations (never while
 * the app runs) and, in demo mode, creates the demo operators when there are none.
 * Run with `tsx --conditions=react-server` (see scripts/lib/processes.ts).
 */
import { getEnv, EnvError } from "@/lib/env";
import { closePrisma, getPrisma } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate-database";
import { ensureDemoOperators } from "@/lib/auth/demo-operators";

async function main() {
  const env = getEnv();
  await migrateDatabase();
  if (env.isDemo) {
    const created = await ensureDemoOperators(env.DEMO_OPERATOR_PASSWORD);
    if (created.length > 0) {
      console.log("Created demo operators:");
      for (const operator of created) console.log(`  ${operator.role.padEnd(8)} ${operator.email}`);
    }
  }
  await getPrisma();
  await closePrisma();
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
