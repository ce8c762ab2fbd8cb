import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";

/**
 * Sends signed-out visitors to the sign-in page before any page renders. This is a convenience,
 * not the security boundary: every page, action and route handler checks the operator itself
 * (lib/auth/session.ts). API routes answer 401 themselves instead of redirecting.
 */
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: getEnv().sessionSecret });
  if (token) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  const target = request.nextUrl.pathname + request.nextUrl.search;
  if (target !== "/") signIn.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything except the sign-in page, next-auth, health, API routes and static files.
  matcher: ["/((?!sign-in|api/|_next/|favicon\\.ico|.*\\.(?:png|svg|ico|css|js)$).*)"],
};
