/**
 * `npm run audit:reconcile`: settles "outcome unknown" password changes once (the same work the
 * server's background job does on a schedule) and prunes old idempotency keys.
 * Exit 0 when the run completed; 2 when it could not (database or Auth0 unavailable — the events
 * stay pending for the next run).
 * `--older-than-sec=N` settles only events older than N seconds (default 30).
 * With the embedded database the server must be stopped first (it holds the database lock);
 * with PostgreSQL it can run beside the servers.
 * Run with `tsx --conditions=react-server` (the modules are server-only).
 */
import { closePrisma, getPrisma } from "../lib/db/client";
import { getManagementApi } from "../lib/auth0/client";
import { runDangerZoneMaintenance } from "../lib/danger-zone/maintenance";

async function main(): Promise<number> {
  const olderThan = process.argv.find((argument) => argument.startsWith("--older-than-sec="));
  const olderThanSec = olderThan ? Number(olderThan.split("=")[1]) : undefined;
  if (olderThanSec !== undefined && !(Number.isInteger(olderThanSec) && olderThanSec >= 0)) {
    console.error("--older-than-sec must be a whole number of seconds");
    return 2;
  }
  try {
    const db = await getPrisma();
    const report = await runDangerZoneMaintenance(
      { db, api: getManagementApi() },
      { isStrict: true, ...(olderThanSec === undefined ? {} : { olderThanMs: olderThanSec * 1000 }) },
    );
    console.log(
      `Reconciled ${report.reconciled} pending password change(s); pruned ${report.prunedIdempotencyKeys} idempotency key(s); expired ${report.expiredApprovals} approval request(s).`,
    );
    return 0;
  } catch (error) {
    console.error(`Could not reconcile: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await closePrisma().catch(() => undefined);
  }
}

main().then((code) => process.exit(code));
