import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { avatarImageSources } from "@/lib/avatar-hosts";
import { getEnv } from "@/lib/env";
import { REQUEST_ID_HEADER, sanitizeForwardedHeaders } from "@/lib/http/forwarding";

/**
 * Runs before every request except Next's own build assets (see `config.matcher`):
 * 1. Trusted headers: the request id and client IP are kept only when scripts/server.ts stamped
 *    them, otherwise replaced/removed; X-Forwarded-Host is dropped (lib/http/forwarding). This
 *    is the one place for it, so it also holds under `next start` with no custom server in front.
 * 2. Security headers, including a Content-Security-Policy with a fresh nonce per request
 *    (Next.js applies the nonce to its own scripts when it sees the header on the request), so
 *    no inline script runs unless we rendered it; `frame-ancestors 'none'` keeps the Danger Zone
 *    out of other sites' frames; `Referrer-Policy: no-referrer` keeps reset links out of Referer.
 * 3. A server action posted from another origin is answered 403 here (Next would answer 500).
 * 4. Sends signed-out visitors of pages to /sign-in. This is a convenience, not the security
 *    boundary: every page, action and route handler checks the operator itself.
 */
const PUBLIC_PAGES = ["/sign-in"];
/** The app's icons (app/favicon.ico, app/icon.svg): files, not pages, shown before sign-in too. */
const PUBLIC_FILES = ["/favicon.ico", "/icon.svg"];

function contentSecurityPolicy(nonce: string, isDev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // React and Radix set style attributes (positioning); styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // User pictures only from the known avatar hosts (lib/avatar-hosts): any other host would
    // learn the operator's IP address.
    `img-src 'self' data: ${avatarImageSources()}`,
    "font-src 'self'",
    `connect-src 'self'${isDev ? " ws:" : ""}`,
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

function withSecurityHeaders(response: NextResponse, csp: string, isHttps: boolean): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), clipboard-write=(self)");
  response.headers.set("Cross-Origin-Opener-Policy", "same-origin");
  if (isHttps) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

/**
 * True for a server action (a POST naming an action) whose Origin is another origin than this
 * request's Host. Without an Origin header it is not a browser's cross-site request (Next lets
 * those through too).
 */
function isCrossOriginAction(request: NextRequest): boolean {
  if (request.method !== "POST" || !request.headers.has("next-action")) return false;
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  if (origin === "null") return true;
  try {
    return new URL(origin).host !== request.headers.get("host");
  } catch {
    return true;
  }
}

export async function proxy(request: NextRequest) {
  const env = getEnv();
  const isDev = env.NODE_ENV === "development";
  const isHttps = (env.NEXTAUTH_URL ?? "").startsWith("https://") || request.nextUrl.protocol === "https:";
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, isDev);
  const { pathname, search } = request.nextUrl;

  const requestHeaders = new Headers(request.headers);
  const requestId = sanitizeForwardedHeaders(requestHeaders, env.PASSDESK_SERVER_STAMP);
  const finish = (response: NextResponse) => {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return withSecurityHeaders(response, csp, isHttps);
  };

  if (isCrossOriginAction(request)) {
    return finish(
      NextResponse.json(
        { error: { code: "forbidden", message: "Cross-origin server actions are not allowed.", requestId } },
        { status: 403, headers: { "Cache-Control": "no-store" } },
      ),
    );
  }

  const isPage = !pathname.startsWith("/api/");
  if (isPage && !PUBLIC_PAGES.includes(pathname) && !PUBLIC_FILES.includes(pathname)) {
    const token = await getToken({ req: request, secret: env.sessionSecret });
    if (!token) {
      const signIn = new URL("/sign-in", request.url);
      const target = pathname + search;
      if (target !== "/") signIn.searchParams.set("callbackUrl", target);
      return finish(NextResponse.redirect(signIn));
    }
  }

  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (pathname.startsWith("/api/")) response.headers.set("Cache-Control", "no-store");
  return finish(response);
}

export const config = {
  // Everything except Next's own build output (hashed files under /_next/static). Passdesk has no
  // public/ folder, so every other path is rendered — a user id may end in ".png" like a file.
  matcher: ["/((?!_next/static/|_next/image).*)"],
};
