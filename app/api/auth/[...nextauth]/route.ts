import NextAuth from "next-auth";
import { NextResponse, type NextRequest } from "next/server";
import { getAuthOptions } from "@/lib/auth/options";
import { getEnv } from "@/lib/server-env";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(request: NextRequest, context: RouteContext) {
  return NextAuth(getAuthOptions())(request, context);
}

/**
 * next-auth answers malformed credential posts with redirects; a public endpoint should say
 * "bad request" instead, so the shape is checked here before next-auth sees it.
 */
async function post(request: NextRequest, context: RouteContext) {
  const { nextauth } = await context.params;
  if (nextauth.join("/") === "callback/credentials") {
    if (!getEnv().LOCAL_SIGN_IN) return NextResponse.json({ error: "Password sign-in is turned off." }, { status: 403 });
    const type = request.headers.get("content-type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      return NextResponse.json({ error: "Expected a form post." }, { status: 415 });
    }
    const body = await request.clone().text();
    if (body.length > 8192) return NextResponse.json({ error: "Request too large." }, { status: 413 });
    const form = new URLSearchParams(body);
    const email = form.get("email");
    const password = form.get("password");
    if (!email || !password || !form.get("csrfToken")) {
      return NextResponse.json({ error: "Email, password and csrfToken are required." }, { status: 400 });
    }
  }
  return handler(request, context);
}

export { handler as GET, post as POST };
