import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";

/**
 * Runs before every page and API route:
 * 1. Security headers, including a Content-Security-Policy with a fresh nonce per request
 *    (Next.js applies the nonce to its own scripts when it sees the header on the request), so
 *    no inline script runs unless we rendered it; `frame-ancestors 'none'` keeps the Danger Zone
 *    out of other sites' frames; `Referrer-Policy: no-referrer` keeps reset links out of Referer.
 * 2. Sends signed-out visitors of pages to /sign-in. This is a convenience, not the security
 *    boundary: every page, action and route handler checks the operator itself.
 */
const PUBLIC_PAGES = ["/sign-in"];

function contentSecurityPolicy(nonce: string, isDev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // React and Radix set style attributes (positioning); styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // User pictures come from Auth0 and social providers (Gravatar, Google, GitHub…).
    "img-src 'self' data: https:",
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

export async function proxy(request: NextRequest) {
  const env = getEnv();
  const isDev = env.NODE_ENV === "development";
  const isHttps = (env.NEXTAUTH_URL ?? "").startsWith("https://") || request.nextUrl.protocol === "https:";
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, isDev);
  const { pathname, search } = request.nextUrl;

  const isPage = !pathname.startsWith("/api/");
  if (isPage && !PUBLIC_PAGES.includes(pathname)) {
    const token = await getToken({ req: request, secret: env.sessionSecret });
    if (!token) {
      const signIn = new URL("/sign-in", request.url);
      const target = pathname + search;
      if (target !== "/") signIn.searchParams.set("callbackUrl", target);
      return withSecurityHeaders(NextResponse.redirect(signIn), csp, isHttps);
    }
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (pathname.startsWith("/api/")) response.headers.set("Cache-Control", "no-store");
  return withSecurityHeaders(response, csp, isHttps);
}

export const config = {
  // Everything except Next's static assets and files with an extension.
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|.*\\.(?:png|svg|ico|css|js|map|txt)$).*)"],
};
