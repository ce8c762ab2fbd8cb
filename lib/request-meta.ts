import "server-only";
import { headers } from "next/headers";

/**
 * Headers set by Passdesk's own HTTP server (scripts/server.ts) on every request, overwriting
 * anything a client sent, so they can be trusted here.
 */
export const REQUEST_ID_HEADER = "x-request-id";
export const CLIENT_IP_HEADER = "x-passdesk-client-ip";

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
