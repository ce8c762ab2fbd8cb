import { resolve } from "node:path";
import {
  DEMO_CONTROL_TOKEN,
  DEMO_M2M_CLIENT_ID,
  DEMO_M2M_CLIENT_SECRET,
  DEMO_OIDC_CLIENT_ID,
  DEMO_OIDC_CLIENT_SECRET,
  DEMO_RESET_CLIENT_ID,
  SEED_PASSWORD,
} from "./demo-credentials.ts";
import { startTenant } from "./server.ts";

/** `npm run tenant` — the local Auth0-compatible tenant on its own. */
function integerEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer (got "${raw}")`);
    process.exit(1);
  }
  return value;
}

/** TENANT_SEED_ANCHOR: the ISO instant seeded dates are relative to (default: now). */
function instantEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Date.parse(raw);
  if (Number.isNaN(value)) {
    console.error(`${name} must be an ISO date-time such as 2030-01-15T12:00:00Z (got "${raw}")`);
    process.exit(1);
  }
  return value;
}

async function main(): Promise<void> {
  const started = Date.now();
  const seedAnchor = instantEnv("TENANT_SEED_ANCHOR");
  const tenant = await startTenant({
    port: integerEnv("TENANT_PORT", 4443),
    dataDir: resolve(process.env["DATA_DIR"] ?? "./data"),
    users: integerEnv("TENANT_USERS", 5000),
    seed: integerEnv("TENANT_SEED", 42),
    persist: true,
    // The demo identity provider's staff (Passdesk's "Sign in with …"); TENANT_STAFF_DIRECTORY=false leaves it out.
    staffDirectory: process.env["TENANT_STAFF_DIRECTORY"] !== "false",
    controlToken: process.env["TENANT_CONTROL_TOKEN"] || DEMO_CONTROL_TOKEN,
    ...(seedAnchor === undefined ? {} : { seedAnchor }),
  });

  console.log(`Local Auth0 tenant ready in ${Date.now() - started} ms
  domain (AUTH0_DOMAIN)        ${tenant.domain}
  URL                          ${tenant.url}
  CA certificate               ${tenant.caFile}   (NODE_EXTRA_CA_CERTS=${tenant.caFile})
  M2M client id / secret       ${DEMO_M2M_CLIENT_ID} / ${DEMO_M2M_CLIENT_SECRET}
  reset email application      ${DEMO_RESET_CLIENT_ID}
  OIDC issuer / client         ${tenant.url}/ / ${DEMO_OIDC_CLIENT_ID} (secret ${DEMO_OIDC_CLIENT_SECRET})
  seeded users' password       ${SEED_PASSWORD}
  control token                ${tenant.controlToken}
  outbox                       ${tenant.url}/outbox`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: saving state and stopping`);
    await tenant.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("[tenant] failed to start:", error);
  process.exit(1);
});
