import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { waitForHttpOk } from "../../scripts/lib/wait";

/**
 * A second Passdesk app of the built code, started by a test so the test can kill it
 * (Playwright's own webServer cannot be): `next start` through scripts/server.ts after
 * scripts/prepare.ts, on its own port and its own DATA_DIR (its own embedded database), sharing
 * the e2e tenant through its URL and CA file. Each start runs in its own process group, so a
 * kill reaches tsx and the node process behind it.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

export type AppInstance = {
  url: string;
  dataDir: string;
  /** Starts the server (again) and waits for /api/health. */
  start(): Promise<void>;
  /** SIGKILL to the whole process group, as a crash would; resolves once it is gone. */
  kill(): Promise<void>;
  /** The server's output so far (all starts), for failure messages. */
  log(): string;
  /** Kills what still runs and removes the data directory. */
  dispose(): Promise<void>;
};

/** Resolves once nothing accepts connections on the port any more (the killed group has let go of it). */
async function portReleased(port: number): Promise<void> {
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: "localhost" }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (!isOpen) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

export function appInstance(options: { port: number; env?: Record<string, string> }): AppInstance {
  const e2eDataDir = process.env.PASSDESK_E2E_DATA_DIR;
  if (!e2eDataDir) throw new Error("PASSDESK_E2E_DATA_DIR is not set (run through playwright.config.ts)");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "passdesk-e2e-instance-"));
  const logFile = path.join(dataDir, "server.log");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    TENANT_PORT: process.env.E2E_TENANT_PORT ?? "4543",
    AUTH0_CA_FILE: path.join(e2eDataDir, "tenant", "ca.pem"),
    DATA_DIR: dataDir,
    NODE_ENV: "production",
    TRUST_PROXY: "true",
    LOG_LEVEL: "info",
    MFA_REQUIRED_ROLES: "none",
    OPERATOR_RATE_LIMIT_BURST: "60",
    ...options.env,
  };
  // The instance's own embedded database and its own URL, whatever the runner's shell had.
  delete env.DATABASE_URL;
  delete env.NEXTAUTH_URL;
  let server: ChildProcess | null = null;

  function run(entry: string, detached: boolean): ChildProcess {
    const out = openSync(logFile, "a");
    return spawn(TSX, [...(entry.includes("prepare") ? ["--conditions=react-server"] : []), path.join(ROOT, entry)], {
      cwd: ROOT,
      env,
      detached,
      stdio: ["ignore", out, out],
    });
  }

  const instance: AppInstance = {
    url: `http://localhost:${options.port}`,
    dataDir,
    async start() {
      if (server) throw new Error("already running");
      const code = await exited(run("scripts/prepare.ts", false));
      if (code !== 0) throw new Error(`scripts/prepare.ts exited with ${code}:\n${instance.log()}`);
      server = run("scripts/server.ts", true);
      const up = waitForHttpOk(`${instance.url}/api/health`, 120_000);
      const died = exited(server).then((exit) => {
        throw new Error(`the server exited with ${exit} before it was up:\n${instance.log()}`);
      });
      await Promise.race([up, died]);
    },
    async kill() {
      const child = server;
      if (!child?.pid) return;
      server = null;
      const gone = exited(child);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      await gone;
      await portReleased(options.port);
    },
    log: () => {
      try {
        return readFileSync(logFile, "utf8");
      } catch {
        return "";
      }
    },
    async dispose() {
      await instance.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return instance;
}
