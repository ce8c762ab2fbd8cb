import { readFileSync } from "node:fs";
import path from "node:path";
import { findDescendant, readMemory, ROOT, startManaged, stopManaged, tailLog, TSX, type ManagedProcess } from "./processes";

/**
 * The app as a user runs it: `tsx scripts/demo.ts --no-build` starts the local tenant, applies
 * migrations, creates the demo operators and serves the production build from `distDir`.
 */

export type Stack = {
  appUrl: string;
  tenantUrl: string;
  tenantDomain: string;
  caPem: string;
  dataDir: string;
  /** pid of the node process running scripts/server.ts (the Next.js server). */
  serverPid: number;
  /** Highest VmHWM seen for the server process, kB (it only grows while the process lives). */
  peakRssKb(): number;
  stop(): Promise<void>;
};

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, managed: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | undefined;
  void managed.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${managed.name} exited (code ${exitCode}) before ${what}:\n${tailLog(managed.logFile)}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s:\n${tailLog(managed.logFile)}`);
}

export async function startStack(options: {
  appPort: number;
  tenantPort: number;
  dataDir: string;
  distDir: string;
  tenantUsers: number;
  logFile: string;
}): Promise<Stack> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.appPort),
    TENANT_PORT: String(options.tenantPort),
    DATA_DIR: options.dataDir,
    TENANT_USERS: String(options.tenantUsers),
    PASSDESK_DIST_DIR: options.distDir,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    // The bench talks to the local tenant; a developer's real-tenant settings must not leak in.
    AUTH0_DOMAIN: "",
    DATABASE_URL: "",
    TRUST_PROXY: "false",
    // The bench measures Passdesk's overhead with one operator making many calls back to back and
    // 50 at once: the per-operator fairness budget (lib/http/operator-rate-limit.ts) is not what it
    // measures, so it is set out of the way (the e2e burst test covers the budget itself).
    OPERATOR_RATE_LIMIT_BURST: "10000",
    OPERATOR_RATE_LIMIT_PER_MINUTE: "100000",
  };
  const demo = startManaged("scripts/demo.ts", TSX, [path.join(ROOT, "scripts", "demo.ts"), "--no-build"], {
    env,
    logFile: options.logFile,
  });
  const appUrl = `http://localhost:${options.appPort}`;
  try {
    await waitFor(
      "the app answered /api/health",
      async () => (await fetch(`${appUrl}/api/health`)).ok,
      180_000,
      demo,
    );
  } catch (error) {
    await stopManaged(demo);
    throw error;
  }
  const serverPid = findDescendant(demo.pid, "scripts/server.ts");
  if (serverPid === undefined) {
    await stopManaged(demo);
    throw new Error("The app is up but its server process (scripts/server.ts) was not found below scripts/demo.ts");
  }
  let peakKb = 0;
  const sample = () => {
    const memory = readMemory(serverPid);
    if (memory) peakKb = Math.max(peakKb, memory.peakKb, memory.rssKb);
  };
  sample();
  const poller = setInterval(sample, 250);
  poller.unref();
  return {
    appUrl,
    tenantUrl: `https://localhost:${options.tenantPort}`,
    tenantDomain: `localhost:${options.tenantPort}`,
    caPem: readFileSync(path.join(options.dataDir, "tenant", "ca.pem"), "utf8"),
    dataDir: options.dataDir,
    serverPid,
    peakRssKb: () => {
      sample();
      return peakKb;
    },
    async stop() {
      sample();
      clearInterval(poller);
      await stopManaged(demo);
    },
  };
}
