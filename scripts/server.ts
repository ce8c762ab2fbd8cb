/**
 * Passdesk's HTTP server: Next.js behind a thin Node server that stamps every request with a
 * request id and the client IP (overwriting whatever the client sent, so lib/request-meta.ts
 * can trust them). X-Forwarded-For is honoured only with TRUST_PROXY=true.
 *
 * Usage: tsx scripts/server.ts [--dev]. Run scripts/prepare.ts first (migrations, demo data).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import next from "next";
import { EnvError, getEnv } from "@/lib/env";
import { ROOT } from "./lib/processes";

const CLIENT_IP_HEADER = "x-passdesk-client-ip";
const REQUEST_ID_HEADER = "x-request-id";

function clientIp(request: http.IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return request.socket.remoteAddress ?? "unknown";
}

async function main() {
  const env = getEnv();
  // next-auth builds absolute redirect URLs from NEXTAUTH_URL; default it to this server.
  process.env.NEXTAUTH_URL ??= `http://localhost:${env.PORT}`;
  const dev = process.argv.includes("--dev");
  const app = next({ dev, dir: ROOT, hostname: "localhost", port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = http.createServer((request, response) => {
    request.headers[CLIENT_IP_HEADER] = clientIp(request, env.TRUST_PROXY);
    const requestId = randomUUID();
    request.headers[REQUEST_ID_HEADER] = requestId;
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
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
