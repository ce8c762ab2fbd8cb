import { randomBytes } from "node:crypto";

/** Absolute and idle lifetimes of a session (Auth0's tenant defaults: 3 days idle, 7 days absolute). */
export const SESSION_IDLE_MS = 3 * 24 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** Non-rotating refresh tokens' absolute lifetime here (Auth0's default is configurable; unconfirmed). */
export const REFRESH_TOKEN_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000;
export const REFRESH_TOKEN_IDLE_MS = 15 * 24 * 60 * 60 * 1000;

export type Device = { ip: string; userAgent?: string };

/** A sign-in session created by the password grant; a password change ends all of a user's. */
export type Session = {
  id: string;
  userId: string;
  clientId: string;
  createdAt: number;
  lastInteractedAt: number;
  device: Device;
};

/** A refresh token (`offline_access`); it outlives its session, as Auth0's do. */
export type RefreshToken = {
  id: string;
  /** The opaque value handed to the client (never returned by the Management API). */
  token: string;
  userId: string;
  clientId: string;
  sessionId: string;
  createdAt: number;
  lastExchangedAt?: number;
  audience: string;
  scopes: string[];
  device: Device;
};

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The session object of GET /api/v2/users/{id}/sessions and /sessions/{id} [OAS]. */
export function sessionJson(session: Session): Record<string, unknown> {
  return {
    id: session.id,
    user_id: session.userId,
    created_at: iso(session.createdAt),
    updated_at: iso(session.lastInteractedAt),
    authenticated_at: iso(session.createdAt),
    last_interacted_at: iso(session.lastInteractedAt),
    idle_expires_at: iso(session.lastInteractedAt + SESSION_IDLE_MS),
    expires_at: iso(session.createdAt + SESSION_ABSOLUTE_MS),
    device: {
      initial_ip: session.device.ip,
      initial_user_agent: session.device.userAgent ?? "",
      initial_asn: "",
      last_ip: session.device.ip,
      last_user_agent: session.device.userAgent ?? "",
      last_asn: "",
    },
    clients: [{ client_id: session.clientId }],
    authentication: { methods: [{ name: "pwd", timestamp: iso(session.createdAt) }] },
    session_metadata: {},
    cookie: { mode: "non-persistent" },
  };
}

/** The refresh-token object of GET /api/v2/users/{id}/refresh-tokens [OAS]; never the token itself. */
export function refreshTokenJson(token: RefreshToken): Record<string, unknown> {
  return {
    id: token.id,
    user_id: token.userId,
    created_at: iso(token.createdAt),
    idle_expires_at: iso((token.lastExchangedAt ?? token.createdAt) + REFRESH_TOKEN_IDLE_MS),
    expires_at: iso(token.createdAt + REFRESH_TOKEN_ABSOLUTE_MS),
    client_id: token.clientId,
    session_id: token.sessionId,
    rotating: false,
    resource_servers: [{ audience: token.audience, scopes: token.scopes.join(" ") }],
    refresh_token_metadata: {},
    device: {
      initial_ip: token.device.ip,
      initial_user_agent: token.device.userAgent ?? "",
      initial_asn: "",
      last_ip: token.device.ip,
      last_user_agent: token.device.userAgent ?? "",
      last_asn: "",
    },
    ...(token.lastExchangedAt === undefined ? {} : { last_exchanged_at: iso(token.lastExchangedAt) }),
  };
}

/** Auth0-style opaque ids (`375UIp_ID5mCTClIeBEHpXfGwq51tF_L`). */
export function newOpaqueId(): string {
  return randomBytes(24).toString("base64url");
}

/** Sessions and refresh tokens, in memory (not in the snapshot). */
export class SessionStore {
  private sessions = new Map<string, Session>();
  private tokens = new Map<string, RefreshToken>();
  private tokenIdByValue = new Map<string, string>();
  /** Value → user of revoked refresh tokens, so a refused exchange is logged against its user. */
  private revokedOwners = new Map<string, string>();

  add(session: Session): void {
    this.sessions.set(session.id, session);
  }

  addRefreshToken(token: RefreshToken): void {
    this.tokens.set(token.id, token);
    this.tokenIdByValue.set(token.token, token.id);
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** The live refresh token with this value. */
  byRefresh(value: string): RefreshToken | undefined {
    const id = this.tokenIdByValue.get(value);
    return id === undefined ? undefined : this.tokens.get(id);
  }

  /** The user a revoked refresh token belonged to. */
  revokedOwner(value: string): string | undefined {
    return this.revokedOwners.get(value);
  }

  refreshToken(id: string): RefreshToken | undefined {
    return this.tokens.get(id);
  }

  countForUser(userId: string): number {
    return this.sessionsOf(userId).length;
  }

  /** A user's sessions, oldest first. */
  sessionsOf(userId: string): Session[] {
    return [...this.sessions.values()].filter((s) => s.userId === userId);
  }

  /** A user's refresh tokens, oldest first. */
  refreshTokensOf(userId: string): RefreshToken[] {
    return [...this.tokens.values()].filter((t) => t.userId === userId);
  }

  deleteSession(id: string): boolean {
    return this.sessions.delete(id);
  }

  deleteRefreshToken(id: string): boolean {
    const token = this.tokens.get(id);
    if (!token) return false;
    this.tokens.delete(id);
    this.tokenIdByValue.delete(token.token);
    this.revokedOwners.set(token.token, token.userId);
    if (this.revokedOwners.size > 10_000) {
      const oldest = this.revokedOwners.keys().next().value;
      if (oldest !== undefined) this.revokedOwners.delete(oldest);
    }
    return true;
  }

  /** Ends every session of a user (refresh tokens stay valid); returns how many ended. */
  endSessions(userId: string): number {
    let count = 0;
    for (const session of this.sessionsOf(userId)) if (this.sessions.delete(session.id)) count++;
    return count;
  }

  /** Revokes every refresh token of a user; returns how many. */
  revokeRefreshTokens(userId: string): number {
    let count = 0;
    for (const token of this.refreshTokensOf(userId)) if (this.deleteRefreshToken(token.id)) count++;
    return count;
  }

  /** Ends a user's sessions and refresh tokens (the user was deleted); returns the sessions ended. */
  revokeUser(userId: string): number {
    this.revokeRefreshTokens(userId);
    return this.endSessions(userId);
  }

  clear(): void {
    this.sessions.clear();
    this.tokens.clear();
    this.tokenIdByValue.clear();
    this.revokedOwners.clear();
  }
}
