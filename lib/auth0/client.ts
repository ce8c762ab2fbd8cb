import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { ManagementClient } from "auth0";
import { Agent, Response as UndiciResponse, fetch as undiciFetch } from "undici";
import { getEnv } from "@/lib/server-env";
import { getRequestLogger } from "@/lib/logger";
import {
  Auth0InvalidRequestError,
  Auth0MisconfiguredError,
  Auth0NotFoundError,
  Auth0RateLimitError,
  Auth0UnavailableError,
  isTlsFailure,
  MALFORMED_RESPONSE_CODE,
  isTransient,
  toAuth0Error,
  type Auth0Error,
} from "./errors";
import { auth0BusyUntil, markAuth0Busy, rateLimitGroupOf } from "./busy-gate";
import { recordAuth0Outcome } from "./health";
import { rateLimitGroupScope, recordRateLimitHeaders } from "./rate-limit-headers";

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
  /** The HTTP transport, shared with the Authentication API client of the same domain. */
  readonly transport: Auth0Transport;
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

/**
 * Operations on collection endpoints: they exist on every Management API, so a 404 from one
 * means the domain is not one (Auth0MisconfiguredError), never "not found".
 */
const COLLECTION_OPERATIONS = new Set(["users.list", "connections.list", "tickets.change_password"]);
const DEFAULT_MAX_RETRY_WAIT_MS = 3_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The one HTTP transport to an Auth0 domain: a keep-alive undici Agent that trusts the configured
 * CA and enforces the timeout, and a `fetch` bound to it. The Management API client and the
 * Authentication API client (lib/auth0/password-operations.ts) share it, so both trust the same CA, time
 * out alike and reuse one connection pool.
 */
export type Auth0Transport = {
  /** Fetch for the SDKs. Throws Auth0UnavailableError(`ca_missing`) while the CA file is absent. */
  readonly fetch: typeof fetch;
  /** Makes sure the CA can be read (throws like `fetch`), without a request. */
  ensureReady(): void;
  /** After a TLS failure: forget the Agent so the next call re-reads the CA. */
  resetAfterTlsFailure(error: Auth0Error): Promise<void>;
  close(): Promise<void>;
};

/**
 * Refuses a 2xx answer that claims JSON but does not parse. Both SDKs would otherwise hand the
 * caller a placeholder object (the management SDK returns `{ok: false, error: {reason:
 * "non-json"}}` as the *result*) — for a password change that would read as success. Thrown
 * from fetch, it reaches toAuth0Error as a transport failure with our code.
 */
async function checkJsonBody(response: UndiciResponse): Promise<UndiciResponse> {
  const isJson = /\bjson\b/i.test(response.headers.get("content-type") ?? "");
  if (!isJson || response.status < 200 || response.status >= 300) return response;
  const text = await response.text();
  if (text.trim() !== "") {
    try {
      JSON.parse(text);
    } catch {
      throw Object.assign(new Error("Auth0 sent a response body that is not valid JSON."), {
        code: MALFORMED_RESPONSE_CODE,
      });
    }
  }
  // The body was consumed above; hand the SDK an identical response to read again.
  return new UndiciResponse(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}

export function createAuth0Transport(config: ManagementApiConfig): Auth0Transport {
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

  return {
    // The SDKs type `fetch` as the DOM fetch; undici's fetch is the same API with its own
    // nominal types, so the boundary needs one cast.
    fetch: (async (input: string | URL, init?: Parameters<typeof undiciFetch>[1]) => {
      const response = await undiciFetch(input, { ...init, dispatcher: dispatcher() });
      recordRateLimitHeaders(String(input), response.headers);
      return checkJsonBody(response);
    }) as unknown as typeof fetch,
    ensureReady() {
      dispatcher();
    },
    async resetAfterTlsFailure(error) {
      // A new local tenant (new data directory) means a new CA: re-read it on the next call.
      if (isTlsFailure(error) && agent) {
        const stale = agent;
        agent = undefined;
        await stale.close().catch(() => undefined);
      }
    },
    async close() {
      const current = agent;
      agent = undefined;
      await current?.close();
    },
  };
}

/**
 * Builds a Management API client for an explicit configuration. The app uses the env-based
 * singleton (getManagementApi); integration tests build their own against a local tenant.
 */
export function createManagementApi(config: ManagementApiConfig): ManagementApi {
  const maxRetries = Math.min(config.maxRetries ?? DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRIES);
  const maxRetryWaitMs = config.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const transport = createAuth0Transport(config);

  const client = new ManagementClient({
    domain: config.domain,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    fetch: transport.fetch,
    timeoutInSeconds: config.timeoutMs / 1000,
    // Retries are ours (see run): the SDK's would wait up to 60 s per 429, twice, while an
    // operator stares at a spinner, and would retry non-idempotent writes too. (The SDK's
    // default is 3 retries with its own backoff, per request, unaware of other requests.)
    maxRetries: 0,
    telemetry: false,
  });
  const callOptions: CallOptions = { timeoutInSeconds: config.timeoutMs / 1000, maxRetries: 0 };
  const cache = new Map<string, { expiresAt: number; value: Promise<unknown> }>();

  return {
    domain: config.domain,
    transport,

    async run(name, operation, options = {}) {
      const group = rateLimitGroupOf(name);
      for (let attempt = 0; ; attempt++) {
        // Auth0 already said "slow down" for this group (to any request of this process): wait
        // for the reset if it is near and the call may be retried, otherwise fail at once with
        // the same reset — no request is sent before it.
        const busyUntil = auth0BusyUntil(group);
        if (busyUntil) {
          const untilReset = busyUntil.getTime() - Date.now();
          if (options.idempotent && attempt < maxRetries && untilReset <= maxRetryWaitMs) {
            await sleep(Math.max(untilReset, 50));
            continue;
          }
          const error = new Auth0RateLimitError(busyUntil);
          (await getRequestLogger()).warn(
            { operation: name, group, retryAt: busyUntil.toISOString() },
            "auth0 call not sent: Auth0 asked to slow down",
          );
          recordAuth0Outcome(name, error);
          throw error;
        }
        try {
          transport.ensureReady();
          const result = await rateLimitGroupScope.run(group, () => operation(client, callOptions));
          recordAuth0Outcome(name);
          return result;
        } catch (raw) {
          const mapped = toAuth0Error(raw);
          const error =
            mapped instanceof Auth0NotFoundError && COLLECTION_OPERATIONS.has(name)
              ? new Auth0MisconfiguredError(name, config.domain, mapped.errorCode)
              : mapped;
          if (error instanceof Auth0RateLimitError) markAuth0Busy(group, error.retryAt);
          await transport.resetAfterTlsFailure(error);
          let waitMs: number | undefined;
          if (options.idempotent && attempt < maxRetries) {
            if (error instanceof Auth0RateLimitError) {
              // Never before Auth0's reset (Retry-After / X-RateLimit-Reset); the gate above makes
              // the other requests of this group wait for it too.
              const untilReset = error.retryAt.getTime() - Date.now();
              if (untilReset <= maxRetryWaitMs) waitMs = Math.max(untilReset, 100);
            } else if (isTransient(error)) {
              waitMs = 250 * 2 ** attempt * (1 + Math.random() * 0.2);
            }
          }
          // A missing user or a rejected query is an ordinary answer, not an incident.
          const isExpected = error instanceof Auth0NotFoundError || error instanceof Auth0InvalidRequestError;
          (await getRequestLogger())[isExpected ? "debug" : "warn"](
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
          if (waitMs === undefined) {
            recordAuth0Outcome(name, error);
            throw error;
          }
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
      await transport.close();
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
