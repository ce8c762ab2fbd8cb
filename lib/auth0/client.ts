import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { ManagementClient } from "auth0";
import { Agent, fetch as undiciFetch } from "undici";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import {
  Auth0InvalidRequestError,
  Auth0NotFoundError,
  Auth0RateLimitError,
  Auth0UnavailableError,
  isTlsFailure,
  isTransient,
  toAuth0Error,
  type Auth0Error,
} from "./errors";

export type ManagementApiConfig = {
  /** Bare host (`tenant.eu.auth0.com`, or `localhost:4443` for the local tenant). */
  domain: string;
  clientId: string;
  clientSecret: string;
  /** PEM file of an extra CA to trust, read lazily (the local tenant writes it when it starts). */
  caFile?: string | undefined;
  /** PEM text of an extra CA to trust (tests); wins over caFile. */
  caPem?: string | undefined;
  /** Per-attempt limit for one HTTP exchange, ms. */
  timeoutMs: number;
  /** Retries of idempotent calls after a 5xx, a connection failure or a short 429. Default 2. */
  maxRetries?: number;
  /** A 429 whose reset is further away than this is reported at once instead of waited out. */
  maxRetryWaitMs?: number;
};

/** Per-request options we hand to every SDK method (a structural subset of its RequestOptions). */
export type CallOptions = { timeoutInSeconds: number; maxRetries: number };

export type RunOptions = {
  /** Only idempotent calls (reads; never a password change) are retried. Default false. */
  idempotent?: boolean;
};

export type ManagementApi = {
  readonly domain: string;
  /**
   * Runs one Management API operation with the shared client: timeout, retries for idempotent
   * calls, and every failure mapped to a typed Auth0Error. `name` is for logs only.
   */
  run<T>(
    name: string,
    operation: (client: ManagementClient, options: CallOptions) => Promise<T>,
    options?: RunOptions,
  ): Promise<T>;
  /** Small in-memory cache with in-flight de-duplication (connections and the like). */
  cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  /** Forgets cached values (tests, or after a configuration change). */
  clearCache(): void;
  close(): Promise<void>;
};

const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_RETRY_WAIT_MS = 3_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Builds a Management API client for an explicit configuration. The app uses the env-based
 * singleton (getManagementApi); integration tests build their own against a local tenant.
 */
export function createManagementApi(config: ManagementApiConfig): ManagementApi {
  const maxRetries = Math.min(config.maxRetries ?? DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRIES);
  const maxRetryWaitMs = config.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  let agent: Agent | undefined;

  // The CA is read on first use, not at start-up: in demo mode the app may start before the
  // local tenant has written its CA. Once read, one keep-alive Agent serves every request.
  function dispatcher(): Agent {
    if (agent) return agent;
    let ca: string | undefined = config.caPem;
    if (ca === undefined && config.caFile !== undefined) {
      if (!existsSync(config.caFile)) {
        throw new Auth0UnavailableError(
          "The CA certificate for the Auth0 domain is not available yet (is the local tenant running?).",
          0,
          "ca_missing",
        );
      }
      ca = readFileSync(config.caFile, "utf8");
    }
    agent = new Agent({
      connect: { timeout: config.timeoutMs, ...(ca === undefined ? {} : { ca }) },
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
    });
    return agent;
  }

  // The SDK types `fetch` as the DOM fetch; undici's fetch is the same API with its own
  // nominal types, so the boundary needs one cast.
  const customFetch = ((input: string | URL, init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher: dispatcher() })) as unknown as typeof fetch;

  const client = new ManagementClient({
    domain: config.domain,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    fetch: customFetch,
    timeoutInSeconds: config.timeoutMs / 1000,
    // Retries are ours (see run): the SDK's would wait up to 60 s per 429, twice, while an
    // operator stares at a spinner, and would retry non-idempotent writes too.
    maxRetries: 0,
    telemetry: false,
  });
  const callOptions: CallOptions = { timeoutInSeconds: config.timeoutMs / 1000, maxRetries: 0 };
  const cache = new Map<string, { expiresAt: number; value: Promise<unknown> }>();

  async function resetAgentAfterTlsFailure(error: Auth0Error): Promise<void> {
    // A new local tenant (new data directory) means a new CA: re-read it on the next call.
    if (isTlsFailure(error) && agent) {
      const stale = agent;
      agent = undefined;
      await stale.close().catch(() => undefined);
    }
  }

  return {
    domain: config.domain,

    async run(name, operation, options = {}) {
      for (let attempt = 0; ; attempt++) {
        try {
          dispatcher();
          return await operation(client, callOptions);
        } catch (raw) {
          const error = toAuth0Error(raw);
          await resetAgentAfterTlsFailure(error);
          let waitMs: number | undefined;
          if (options.idempotent && attempt < maxRetries) {
            if (error instanceof Auth0RateLimitError) {
              const untilReset = error.retryAt.getTime() - Date.now();
              if (untilReset <= maxRetryWaitMs) waitMs = Math.max(untilReset, 100);
            } else if (isTransient(error)) {
              waitMs = 250 * 2 ** attempt * (1 + Math.random() * 0.2);
            }
          }
          // A missing user or a rejected query is an ordinary answer, not an incident.
          const isExpected = error instanceof Auth0NotFoundError || error instanceof Auth0InvalidRequestError;
          logger[isExpected ? "debug" : "warn"](
            {
              operation: name,
              status: error.status,
              errorCode: error.errorCode,
              error: error.name,
              attempt,
              willRetry: waitMs !== undefined,
            },
            "auth0 call failed",
          );
          if (waitMs === undefined) throw error;
          await sleep(waitMs);
        }
      }
    },

    cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const hit = cache.get(key);
      if (hit && hit.expiresAt > Date.now()) return hit.value as Promise<T>;
      const value = load();
      cache.set(key, { expiresAt: Date.now() + ttlMs, value });
      // A failure is not cached: the next caller tries again.
      value.catch(() => {
        if (cache.get(key)?.value === value) cache.delete(key);
      });
      return value;
    },

    clearCache() {
      cache.clear();
    },

    async close() {
      cache.clear();
      const current = agent;
      agent = undefined;
      await current?.close();
    },
  };
}

/** The configuration of this deployment, from lib/env. */
export function managementApiConfigFromEnv(): ManagementApiConfig {
  const env = getEnv();
  return {
    domain: env.auth0.domain,
    clientId: env.auth0.clientId,
    clientSecret: env.auth0.clientSecret,
    caFile: env.auth0.caFile,
    timeoutMs: env.AUTH0_TIMEOUT_MS,
  };
}

// Cached on globalThis so dev-mode module reloads and separate route bundles share one client,
// and with it one Management API token, fetched once and reused until it expires.
const holder = globalThis as typeof globalThis & { __passdeskManagementApi?: ManagementApi };

/** The process-wide Management API client. */
export function getManagementApi(): ManagementApi {
  holder.__passdeskManagementApi ??= createManagementApi(managementApiConfigFromEnv());
  return holder.__passdeskManagementApi;
}
