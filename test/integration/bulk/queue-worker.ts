/**
 * A second app instance's bulk worker as its own process, for bulk-queue.test.ts to kill with
 * SIGKILL in the middle of a job: pg-boss and the runner exactly as lib/bulk/worker.ts wires
 * them on PostgreSQL, against the test's database schema and local tenant (given in env).
 * Prints "ready" once its pg-boss workers run. Not a test file; run with
 * `node --import tsx --conditions=react-server` (lib modules are server-only).
 */
import { createManagementApi } from "@/lib/auth0";
import { createAuthenticationApi } from "@/lib/auth0/password-operations";
import { createBulkQueue } from "@/lib/bulk/queue";
import { createBulkRunner } from "@/lib/bulk/runner";
import { createPostgresPrisma } from "@/lib/db/adapter";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`queue-worker: ${name} is not set`);
  return value;
}

async function main() {
  const connectionString = required("QUEUE_WORKER_DATABASE_URL");
  const db = createPostgresPrisma(connectionString, { schema: required("QUEUE_WORKER_SCHEMA") });
  const config = {
    domain: required("QUEUE_WORKER_TENANT_DOMAIN"),
    clientId: required("QUEUE_WORKER_CLIENT_ID"),
    clientSecret: required("QUEUE_WORKER_CLIENT_SECRET"),
    caPem: required("QUEUE_WORKER_CA_PEM"),
    timeoutMs: 10_000,
  };
  const deps = {
    db,
    api: createManagementApi(config),
    auth: createAuthenticationApi(config),
    resetClientId: required("QUEUE_WORKER_RESET_CLIENT_ID"),
    resultUrlHosts: [],
  };
  const runner = createBulkRunner({
    deps,
    runnerId: required("QUEUE_WORKER_ID"),
    leaseMs: Number(required("QUEUE_WORKER_LEASE_MS")),
    maxRps: Number(required("QUEUE_WORKER_MAX_RPS")),
    idleMs: 50,
    concurrency: 1,
  });
  const queue = createBulkQueue({
    connectionString,
    schema: required("QUEUE_WORKER_BOSS_SCHEMA"),
    db,
    runner,
    lanes: 1,
    sliceSec: 30,
    expireSec: Number(required("QUEUE_WORKER_EXPIRE_SEC")),
    maintenanceSec: 1,
    pollingSec: 0.5,
  });
  await queue.start();
  console.log("ready");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
