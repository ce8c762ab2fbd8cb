import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getEnv } from "@/lib/env";
import { requestMetaFrom } from "@/lib/request-meta";
import { signInCredentialsSchema } from "@/lib/validations/sign-in";
import { signInWithPassword } from "./operator-service";

/** Sessions last one working day; the operator is re-checked on every request anyway. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

function headerValue(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== "object") return null;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === "string" ? value : null;
}

let cached: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  const env = getEnv();
  cached = {
    secret: env.sessionSecret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Passdesk",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, request) {
          const parsed = signInCredentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const meta = requestMetaFrom({ get: (name) => headerValue(request?.headers, name) });
          const result = await signInWithPassword(parsed.data.email, parsed.data.password, meta);
          if (!result.ok) return null;
          return { id: result.operator.id, email: result.operator.email, name: result.operator.name };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
  return cached;
}
