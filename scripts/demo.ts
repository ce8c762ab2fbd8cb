/**
 * `npm run demo`: a production build (rebuilt when missing or stale), the local Auth0 tenant
 * (unless AUTH0_DOMAIN points at a real one), migrations, then the app. Prints where to go and
 * how to sign in.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { DEMO_PROTECTED_USERS_QUERY, EnvError, getEnv, LOCAL_TENANT_DEFAULTS } from "@/lib/env";
import { isBuildStale } from "./lib/build";
import { ROOT, runTsx, spawnTsx, superviseChildren, waitForExit } from "./lib/processes";
import { waitForHttpOk, waitForPort } from "./lib/wait";

async function main() {
  const env = getEnv();
  const isDev = process.argv.includes("--dev");
  if (!isDev && !process.argv.includes("--no-build") && isBuildStale()) {
    console.log("Building Passdesk (production build; takes a minute or two the first time)…");
    const code = await waitForExit(
      spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], { cwd: ROOT, stdio: "inherit" }),
    );
    if (code !== 0) throw new Error("next build failed");
  }

  const children = [];
  if (env.isDemo) {
    const tenant = spawnTsx("tenant/src/main.ts");
    children.push(tenant);
    await waitForPort(env.TENANT_PORT);
  }
  await runTsx("scripts/prepare.ts", [], { serverOnly: true });
  const app = spawnTsx("scripts/server.ts", isDev ? ["--dev"] : [], {
    env: {
      ...process.env,
      NODE_ENV: isDev ? "development" : "production",
      // The demo stays two commands: its operators start without MFA and are not forced to enrol
      // (set MFA_REQUIRED_ROLES=admin to see the forced enrolment). Real deployments default to admin.
      ...(env.isDemo && !process.env.MFA_REQUIRED_ROLES ? { MFA_REQUIRED_ROLES: "none" } : {}),
      // Password actions on the seeded admins of the local tenant (staff.demo@passdesk.example)
      // need a second admin's approval; set PROTECTED_USERS_QUERY yourself to change it.
      ...(env.isDemo && process.env.PROTECTED_USERS_QUERY === undefined ? { PROTECTED_USERS_QUERY: DEMO_PROTECTED_USERS_QUERY } : {}),
    },
  });
  children.push(app);
  superviseChildren(children);
  await waitForHttpOk(`http://localhost:${env.PORT}/api/health`);

  const lines = [
    "",
    `  Passdesk is ready:  http://localhost:${env.PORT}`,
    env.isDemo ? `  Local Auth0 tenant: https://${env.auth0.domain}  (emails it sends: https://${env.auth0.domain}/outbox)` : `  Auth0 tenant:       https://${env.auth0.domain}`,
  ];
  if (env.isDemo) {
    lines.push(
      "",
      "  Demo sign-ins (password: " + env.DEMO_OPERATOR_PASSWORD + ")",
      "    admin@passdesk.test     full control",
      "    support@passdesk.test   manual resets",
      "    auditor@passdesk.test   read-only",
    );
  }
  if (env.oidc) {
    lines.push(
      "",
      `  Single sign-on: "Sign in with ${env.oidc.name}"  (issuer ${env.oidc.issuer})`,
      env.isDemo && env.OIDC_ISSUER === undefined
        ? `    the local tenant's staff directory: the same emails, password ${LOCAL_TENANT_DEFAULTS.oidcDemoPassword}`
        : `    operators are matched by verified email${env.oidc.roleMapping ? "; roles follow the claim " + env.oidc.roleMapping.claim : ""}`,
    );
  }
  if (!env.LOCAL_SIGN_IN) lines.push("  Password sign-in is off (LOCAL_SIGN_IN=false).");
  console.log(lines.join("\n") + "\n");
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error instanceof Error ? error.message : error);
  process.exit(1);
});
