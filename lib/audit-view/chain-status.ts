import "server-only";
import { verifyAuditChain } from "@/lib/audit/verify";
import { getPrisma } from "@/lib/db";
import { logger } from "@/lib/logger";

/** What the audit page's banner shows; times as ISO strings so it can cross to the client. */
export type AuditChainStatus =
  | { ok: true; count: number; checkedAt: string }
  | { ok: false; count: number; firstBadSequence: string; reason: string; checkedAt: string };

/**
 * Walking the whole chain costs time proportional to its length (millions of rows → seconds),
 * so one result is shared by every page view for a short while, and concurrent views wait for
 * one running check instead of starting their own. Per process: each app instance verifies
 * independently, which is fine — the banner says when it was checked.
 */
export const CHAIN_STATUS_TTL_MS = 30_000;

type CacheEntry = { status: AuditChainStatus; expiresAt: number };
type ChainStatusCache = { entry: CacheEntry | null; running: Promise<AuditChainStatus> | null };

// On globalThis so the page and route handler bundles of one process share it.
const CACHE_KEY = Symbol.for("passdesk.audit.chainStatus");
function cache(): ChainStatusCache {
  const holder = globalThis as { [CACHE_KEY]?: ChainStatusCache };
  holder[CACHE_KEY] ??= { entry: null, running: null };
  return holder[CACHE_KEY];
}

async function verifyNow(): Promise<AuditChainStatus> {
  const db = await getPrisma();
  const result = await verifyAuditChain(db);
  const checkedAt = new Date().toISOString();
  if (result.ok) return { ok: true, count: result.count, checkedAt };
  logger.error(
    { firstBadSequence: result.firstBadSequence.toString(), reason: result.reason },
    result.message,
  );
  return {
    ok: false,
    count: result.count,
    firstBadSequence: result.firstBadSequence.toString(),
    reason: result.reason,
    checkedAt,
  };
}

export async function getAuditChainStatus(now: number = Date.now()): Promise<AuditChainStatus> {
  const state = cache();
  if (state.entry && state.entry.expiresAt > now) return state.entry.status;
  state.running ??= verifyNow()
    .then((status) => {
      state.entry = { status, expiresAt: Date.now() + CHAIN_STATUS_TTL_MS };
      return status;
    })
    .finally(() => {
      state.running = null;
    });
  return state.running;
}
