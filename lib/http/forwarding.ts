import { isIP } from "node:net";
import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";

/**
 * The request headers Passdesk itself sets for its own code, and the rules for trusting them.
 * One definition for the HTTP server (scripts/server.ts, which sees the socket) and the proxy
 * (proxy.ts, which runs for every request, also under `next start` with no custom server in
 * front). No "server-only" marker: scripts/server.ts runs outside Next's bundler.
 */

/** The request id every log line and error answer carries. */
export const REQUEST_ID_HEADER = "x-request-id";
/** The client IP as scripts/server.ts resolved it from the socket and TRUST_PROXY. */
export const CLIENT_IP_HEADER = "x-passdesk-client-ip";
/**
 * Proof that scripts/server.ts stamped this request: a random value it puts in the process
 * environment (SERVER_STAMP_ENV) before Next starts. proxy.ts trusts the two headers above only
 * when the stamp matches, and removes the stamp before any page, route or action sees it.
 */
export const SERVER_STAMP_HEADER = "x-passdesk-server-stamp";
export const SERVER_STAMP_ENV = "PASSDESK_SERVER_STAMP";
/**
 * Removed from every request: Next compares a server action's Origin with X-Forwarded-Host when
 * present, so a client-chosen value would decide the CSRF check. Passdesk builds absolute URLs
 * from NEXTAUTH_URL; a reverse proxy in front must keep the Host header.
 */
export const STRIPPED_HEADERS = ["x-forwarded-host"] as const;

/** Most a client IP can be (an IPv6 address with a zone fits easily). */
const MAX_IP_LENGTH = 64;

/**
 * Which proxy hops are trusted to say who the client is, from TRUST_PROXY:
 * unset/`false` — none (the socket address is the client); `true` — every hop (the left-most
 * X-Forwarded-For entry wins; only for a proxy that overwrites the header); otherwise a
 * comma-separated list for proxy-addr: `loopback`, `linklocal`, `uniquelocal`, addresses and
 * CIDR ranges (`loopback,10.0.0.0/8`). Throws TypeError for an entry that is none of these.
 */
export type TrustProxy = (address: string, hop: number) => boolean;

export function compileTrustProxy(setting: string | undefined): TrustProxy {
  const value = (setting ?? "").trim().toLowerCase();
  if (value === "" || value === "false" || value === "0" || value === "no") return () => false;
  if (value === "true" || value === "1" || value === "yes") return () => true;
  return proxyAddr.compile(value.split(",").map((entry) => entry.trim()).filter((entry) => entry !== ""));
}

/**
 * The client's address: the socket's peer, or — through trusted proxies only — the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (proxy-addr). A non-IP value there
 * (a trusted proxy that passed a client's header through) falls back to the socket's peer.
 */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string {
  const socketAddress = request.socket.remoteAddress ?? "unknown";
  const address = proxyAddr(request, trust);
  return isIP(address) ? address.slice(0, MAX_IP_LENGTH) : socketAddress;
}

type MutableHeaders = { get(name: string): string | null; set(name: string, value: string): void; delete(name: string): void };

/**
 * The one place every request's trusted headers are decided (proxy.ts calls it for each one).
 * With a valid server stamp, scripts/server.ts already overwrote the request id and client IP;
 * without one, whatever the client sent under those names is dropped and a fresh request id set.
 * Returns the request id now in effect.
 */
export function sanitizeForwardedHeaders(headers: MutableHeaders, serverStamp: string | undefined): string {
  const isStamped = serverStamp !== undefined && serverStamp !== "" && headers.get(SERVER_STAMP_HEADER) === serverStamp;
  headers.delete(SERVER_STAMP_HEADER);
  for (const name of STRIPPED_HEADERS) headers.delete(name);
  const stampedId = isStamped ? headers.get(REQUEST_ID_HEADER) : null;
  if (!isStamped) headers.delete(CLIENT_IP_HEADER);
  const requestId = stampedId ?? crypto.randomUUID();
  headers.set(REQUEST_ID_HEADER, requestId);
  return requestId;
}
