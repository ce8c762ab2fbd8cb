import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Starts the local tenant in this process. The tenant is a separate program (its imports end
 * in `.ts`, which the app's TypeScript settings do not allow), so it is loaded dynamically and
 * typed here by the small surface the tests use.
 */
export type LocalTenant = {
  url: string;
  domain: string;
  caPem: string;
  controlToken: string;
  dataDir: string;
  /** Calls the tenant's control API (fault injection, rate limits). */
  control(method: string, pathname: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
};

/** What the tenant's startTenant returns, as far as the tests use it. */
export type RunningTenant = {
  url: string;
  domain: string;
  caPem: string;
  controlToken: string;
  close(): Promise<void>;
};
type TenantModule = {
  startTenant(options: { port: number; dataDir: string; users: number }): Promise<RunningTenant>;
};

export async function startLocalTenant(users = 300): Promise<LocalTenant> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "passdesk-auth0-it-"));
  const modulePath = pathToFileURL(path.resolve(import.meta.dirname, "../../../tenant/src/server.ts")).href;
  const { startTenant } = (await import(/* @vite-ignore */ modulePath)) as TenantModule;
  const tenant = await startTenant({ port: 0, dataDir, users });
  const { Agent, fetch } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: tenant.caPem } });
  return {
    url: tenant.url,
    domain: tenant.domain,
    caPem: tenant.caPem,
    controlToken: tenant.controlToken,
    dataDir,
    async control(method, pathname, body) {
      const response = await fetch(`${tenant.url}${pathname}`, {
        method,
        dispatcher,
        headers: { Authorization: `Bearer ${tenant.controlToken}`, "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return response as unknown as Response;
    },
    async close() {
      await tenant.close();
      await dispatcher.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
