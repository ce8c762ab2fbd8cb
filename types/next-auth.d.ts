import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
  /** What authorize() returns on a right password. */
  interface User {
    sessionId: string;
    /** Absolute end of the session, seconds since the epoch. */
    sessionExpiresAt: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** Id of the server-side session record (OperatorSession). */
    sid?: string;
    /** Absolute end of the session, seconds since the epoch. */
    sessionExpiresAt?: number;
  }
}
