/**
 * Passdesk's HTTP server: Next.js behind a thin Node server that stamps every request with a
 * request id and the client IP (overwriting whatever the client sent) plus this process's server
 * stamp, so proxy.ts can tell them from forged ones (lib/http/forwarding). X-Forwarded-For is
 * honoured only from the proxies TRUST_PROXY names.
 *
 * Usage: tsx scripts/server.ts [--dev]. Run scripts/prepare.ts first (migrations, demo data).
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import next from "next";
import { EnvError, getEnv } from "@/lib/env";
import {
  CLIENT_IP_HEADER,
  clientAddress,
  compileTrustProxy,
  REQUEST_ID_HEADER,
  SERVER_STAMP_ENV,
  SERVER_STAMP_HEADER,
  STRIPPED_HEADERS,
} from "@/lib/http/forwarding";
import { runShutdownHooks } from "@/lib/shutdown";
import { ROOT } from "./lib/processes";

async function main() {
  // Before the environment is read: proxy.ts (same process) compares it with each request's stamp.
  const serverStamp = randomBytes(32).toString("base64url");
  process.env[SERVER_STAMP_ENV] = serverStamp;
  const env = getEnv();
  const trustProxy = compileTrustProxy(env.TRUST_PROXY);
  // next-auth builds absolute redirect URLs from NEXTAUTH_URL; default it to this server.
  process.env.NEXTAUTH_URL ??= `http://localhost:${env.PORT}`;
  const dev = process.argv.includes("--dev");
  const app = next({ dev, dir: ROOT, hostname: "localhost", port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = http.createServer((request, response) => {
    request.headers[CLIENT_IP_HEADER] = clientAddress(request, trustProxy);
    const requestId = randomUUID();
    request.headers[REQUEST_ID_HEADER] = requestId;
    request.headers[SERVER_STAMP_HEADER] = serverStamp;
    for (const name of STRIPPED_HEADERS) delete request.headers[name];
    response.setHeader("X-Request-Id", requestId);
    handle(request, response).catch((error: unknown) => {
      console.error(JSON.stringify({ level: "error", requestId, msg: "unhandled request error", error: String(error) }));
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end(`Internal error (request ${requestId})`);
    });
  });
  // Demo mode (fixed demo passwords) listens on loopback only unless HOST says otherwise.
  const host = env.HOST ?? (env.isDemo ? "127.0.0.1" : undefined);
  server.listen(env.PORT, host, () => {
    console.log(`Passdesk is running at http://localhost:${env.PORT}${host ? ` (listening on ${host})` : ""}`);
  });
  // Stop taking requests, let background work finish (the bulk worker's items in flight,
  // lib/shutdown.ts), then exit.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    void Promise.all([closed, runShutdownHooks()]).finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
