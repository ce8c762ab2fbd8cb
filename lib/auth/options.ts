import "server-only";
import type { NextAuthOptions } from "next-auth";
import { encode } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import { getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/server-env";
import { logger } from "@/lib/logger";
import { cookies } from "next/headers";
import { getRequestMeta, requestMetaFrom } from "@/lib/request-meta";
import { passkeySignInSchema, signInCredentialsSchema } from "@/lib/validations/sign-in";
import { relyingPartyFrom } from "./mfa/relying-party";
import { safeCallbackPath } from "./callback-url";
import { SessionEndedError } from "./errors";
import { getCurrentSessionId } from "./mfa/gate";
import { OIDC_PROVIDER_ID, OIDC_REFUSALS, oidcProvider, signInWithOidc, STEP_UP_SSO_DONE_PATH, stepUpWithOidc, type OidcClaims } from "./oidc";
import { revokeOperatorSession, sessionIdentity, validateOperatorSession, type SessionOperator } from "./operator-sessions";
import { sessionSettings, signInWithPasskey, signInWithPassword, type OperatorIdentity, type SignInResult } from "./operator-service";

function headerValue(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== "object") return null;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === "string" ? value : null;
}

/**
 * The session token's lifetime never reaches past the session's absolute end, however often
 * next-auth re-issues it (every `GET /api/auth/session` does).
 */
export function cappedMaxAgeSeconds(maxAgeSeconds: number, sessionExpiresAt: unknown, nowMs = Date.now()): number {
  if (typeof sessionExpiresAt !== "number") return maxAgeSeconds;
  // ceil: jose stamps exp = floor(now) + maxAge, which then lands exactly on the end.
  return Math.max(0, Math.min(maxAgeSeconds, Math.ceil(sessionExpiresAt - nowMs / 1000)));
}

function sessionUser(result: SignInResult) {
  if (!result.ok) return null;
  return {
    id: result.operator.id,
    email: result.operator.email,
    name: result.operator.name,
    sessionId: result.session.id,
    sessionExpiresAt: Math.floor(result.session.expiresAt.getTime() / 1000),
  };
}

/**
 * The operator that this request's session check read (jwt callback: the session record joined
 * with its operator, disabled ones refused), handed to the session object next-auth returns, so
 * lib/auth/session.ts does not read the operator a second time. Keyed by object: nothing here
 * outlives the request, and nothing of it is added to the session JSON the browser can fetch.
 */
const checkedByToken = new WeakMap<object, SessionOperator>();
const checkedBySession = new WeakMap<object, SessionOperator>();

/** The operator the session check of this very session object found active (see above). */
export function checkedSessionOperator(session: object): SessionOperator | undefined {
  return checkedBySession.get(session);
}

let cached: NextAuthOptions | undefined;

/**
 * next-auth with JWT cookies that carry a server-side session id (token.sid). The jwt callback
 * runs for every read of the session (getServerSession, GET /api/auth/session) and checks the
 * record: a revoked, expired or idle session throws SessionEndedError, which next-auth answers
 * by clearing the cookie.
 */
export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  const env = getEnv();
  const absoluteSeconds = env.SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60;
  cached = {
    secret: env.sessionSecret,
    session: { strategy: "jwt", maxAge: absoluteSeconds },
    jwt: {
      maxAge: absoluteSeconds,
      encode: (params) => encode({ ...params, maxAge: cappedMaxAgeSeconds(params.maxAge ?? absoluteSeconds, params.token?.sessionExpiresAt) }),
    },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      error(code, metadata) {
        const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
        // An ended session is the expected way out, not an error.
        if (error instanceof SessionEndedError || (error instanceof Error && error.name === "SessionEndedError")) return;
        logger.error({ code, err: error instanceof Error ? { name: error.name, message: error.message } : undefined }, "next-auth error");
      },
      warn(code) {
        logger.warn({ code }, "next-auth warning");
      },
      debug() {},
    },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Passdesk",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          // The second step (lib/auth/mfa): one of these, sent with the password again.
          code: { label: "Code", type: "text" },
          recoveryCode: { label: "Recovery code", type: "text" },
          challengeId: { label: "Challenge", type: "text" },
          passkey: { label: "Passkey", type: "text" },
        },
        async authorize(credentials, request) {
          // LOCAL_SIGN_IN=false: the form is hidden and a direct post is refused too.
          if (!env.LOCAL_SIGN_IN) return null;
          const parsed = signInCredentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const requestHeaders = { get: (name: string) => headerValue(request?.headers, name) };
          const meta = requestMetaFrom(requestHeaders);
          const { email, password, code, recoveryCode, challengeId, passkey } = parsed.data;
          const result = await signInWithPassword(email, password, meta, new Date(), {
            code,
            recoveryCode,
            passkey: passkey && challengeId ? { challengeId, response: passkey, rp: relyingPartyFrom(requestHeaders) } : undefined,
          });
          return sessionUser(result);
        },
      }),
      // Passwordless sign-in with a passkey (discoverable credential).
      CredentialsProvider({
        id: "passkey",
        name: "Passkey",
        credentials: {
          challengeId: { label: "Challenge", type: "text" },
          passkey: { label: "Passkey", type: "text" },
        },
        async authorize(credentials, request) {
          // A passkey is a local account's credential too: LOCAL_SIGN_IN=false refuses it.
          if (!env.LOCAL_SIGN_IN) return null;
          const parsed = passkeySignInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const requestHeaders = { get: (name: string) => headerValue(request?.headers, name) };
          const result = await signInWithPasskey(
            { challengeId: parsed.data.challengeId, response: parsed.data.passkey, rp: relyingPartyFrom(requestHeaders) },
            requestMetaFrom(requestHeaders),
          );
          return sessionUser(result);
        },
      }),
      ...(env.oidc ? [oidcProvider(env.oidc)] : []),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        if (!env.oidc || !profile) return false;
        // The step-up popup (app/security/step-up-sso) comes back to STEP_UP_SSO_DONE_PATH: then
        // the IdP sign-in re-authenticates the open session instead of opening a new one.
        if (await isStepUpCallback()) {
          const current = await currentSessionOperator();
          if (!current) return `${STEP_UP_SSO_DONE_PATH}?result=session_ended`;
          const stepUp = await stepUpWithOidc(profile as OidcClaims, env.oidc, current, await getRequestMeta());
          // A string answer redirects without signing in: the session cookie stays as it was.
          return `${STEP_UP_SSO_DONE_PATH}?result=${stepUp.ok ? "ok" : stepUp.reason}`;
        }
        const result = await signInWithOidc(profile as OidcClaims, env.oidc, await getRequestMeta());
        if (!result.ok) return `/sign-in?error=${OIDC_REFUSALS[result.reason]}`;
        // `user` is what the jwt callback receives next: it now names the operator and the session.
        Object.assign(user, {
          id: result.operator.id,
          email: result.operator.email,
          name: result.operator.name,
          sessionId: result.session.id,
          sessionExpiresAt: Math.floor(result.session.expiresAt.getTime() / 1000),
        });
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = user.sessionId;
          token.sessionExpiresAt = user.sessionExpiresAt;
          return token;
        }
        if (typeof token.sid !== "string") throw new SessionEndedError();
        const session = await validateOperatorSession(await getPrisma(), token.sid, new Date(), sessionSettings());
        if (!session || session.id !== token.sub) throw new SessionEndedError();
        checkedByToken.set(token, session);
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        const checked = checkedByToken.get(token);
        if (checked) checkedBySession.set(session, checked);
        if (typeof token.sessionExpiresAt === "number") {
          const end = token.sessionExpiresAt * 1000;
          if (Date.parse(session.expires) > end) session.expires = new Date(end).toISOString();
        }
        return session;
      },
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, baseUrl)}`;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid !== "string") return;
        const operator = await revokeOperatorSession(await getPrisma(), token.sid, "sign_out", new Date());
        if (!operator) return;
        await recordOperatorEvent("operator.sign_out", { actor: operator, meta: await getRequestMeta(), target: { email: operator.email }, details: {} });
      },
    },
  };
  return cached;
}

/** Whether this OIDC callback belongs to a step-up popup (next-auth keeps the callbackUrl in a cookie). */
async function isStepUpCallback(): Promise<boolean> {
  const store = await cookies();
  const raw = store.get("__Secure-next-auth.callback-url")?.value ?? store.get("next-auth.callback-url")?.value;
  if (!raw) return false;
  try {
    return new URL(raw, "http://passdesk.invalid").pathname === STEP_UP_SSO_DONE_PATH;
  } catch {
    return false;
  }
}

/** The open session this request's cookie names (checked like every request), or null. */
async function currentSessionOperator(): Promise<{ sessionId: string; operator: OperatorIdentity } | null> {
  const sessionId = await getCurrentSessionId();
  if (!sessionId) return null;
  const session = await validateOperatorSession(await getPrisma(), sessionId, new Date(), sessionSettings());
  if (!session) return null;
  return { sessionId, operator: sessionIdentity(session) };
}
