import "server-only";
import { getEnv } from "@/lib/server-env";
import type { RelyingParty } from "./passkeys";

/**
 * The WebAuthn relying party of this request: NEXTAUTH_URL when set (recommended behind a
 * proxy), else the request's Host with http (https when the proxy said so). The RP ID is the
 * host name without port; the browser's origin must match exactly.
 */
export function relyingPartyFrom(headers: { get(name: string): string | null }): RelyingParty {
  const configured = getEnv().NEXTAUTH_URL;
  let origin: string;
  if (configured) origin = new URL(configured).origin;
  else {
    const host = headers.get("host") ?? "localhost";
    const proto = headers.get("x-forwarded-proto") === "https" ? "https" : "http";
    origin = `${proto}://${host}`;
  }
  return { origin, rpID: new URL(origin).hostname, name: "Passdesk" };
}
