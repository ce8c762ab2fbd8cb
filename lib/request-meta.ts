import "server-only";
import { headers } from "next/headers";
import { CLIENT_IP_HEADER, REQUEST_ID_HEADER } from "@/lib/http/forwarding";

/**
 * The request id and client IP are decided for every request by proxy.ts (lib/http/forwarding):
 * stamped by scripts/server.ts, or — without it in front — the client's values removed and a
 * fresh request id set. So they can be trusted here; the IP is null where no server resolved it.
 */
export { CLIENT_IP_HEADER, REQUEST_ID_HEADER };

export type RequestMeta = { requestId: string; ip: string | null; userAgent: string | null };

export function requestMetaFrom(source: { get(name: string): string | null }): RequestMeta {
  return {
    requestId: source.get(REQUEST_ID_HEADER) ?? crypto.randomUUID(),
    ip: source.get(CLIENT_IP_HEADER),
    userAgent: source.get("user-agent")?.slice(0, 512) ?? null,
  };
}

/** Request id, client IP and user agent of the current request (server components and actions). */
export async function getRequestMeta(): Promise<RequestMeta> {
  return requestMetaFrom(await headers());
}
