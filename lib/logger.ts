import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";
import { getEnv } from "@/lib/env";
import { REQUEST_ID_HEADER } from "@/lib/request-meta";

/**
 * Structured logs (JSON lines). Any field that could carry a secret is redacted by name, so a
 * careless `logger.info({ body })` cannot leak a password, token or cookie.
 */

/** Field names whose value is never logged, wherever they appear (see REDACT_DEPTH). */
export const REDACTED_KEYS = [
  "password",
  "newPassword",
  "confirmPassword",
  "currentPassword",
  "oldPassword",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "idToken",
  "id_token",
  "ticket",
  "ticketUrl",
  "secret",
  "clientSecret",
  "client_secret",
  "cookie",
  "cookies",
  "set-cookie",
  "authorization",
  "Authorization",
] as const;

/**
 * pino's redaction works on paths, and a wildcard stands for exactly one level, so "any depth"
 * is spelled out down to this many levels of nesting (six covers `{err: {cause: {request:
 * {headers: {authorization}}}}}`); deeper objects are not logged by Passdesk code.
 */
const REDACT_DEPTH = 6;

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) {
    const isIdentifier = /^[A-Za-z_$][\w$]*$/.test(key);
    for (let depth = 0; depth <= REDACT_DEPTH; depth++) {
      if (isIdentifier) paths.push(`${"*.".repeat(depth)}${key}`);
      // Keys that are not identifiers (`set-cookie`) need bracket notation: `*.*["set-cookie"]`.
      else paths.push(depth === 0 ? `["${key}"]` : `${"*.".repeat(depth - 1)}*["${key}"]`);
    }
  }
  return paths;
}

/** A logger writing to `destination` (stdout by default); tests pass their own stream. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? getEnv().LOG_LEVEL,
      base: { service: "passdesk" },
      redact: { paths: redactPaths(), censor: "[redacted]" },
    },
    options.destination,
  );
}

/** The process logger. Inside a request prefer getRequestLogger(), which adds the request id. */
export const logger: Logger = createLogger();

/** What every line logged during one action or route call carries. */
export type RequestLogBindings = { requestId: string; operatorId?: string };

const requestScope = new AsyncLocalStorage<Logger>();

/**
 * Runs `fn` with a child logger bound to the request, so every line logged below it — in lib/auth0,
 * lib/danger-zone, lib/audit — carries the request id (and the operator id once known) without
 * threading a logger through every call. defineActions and defineRoute use it.
 */
export function runWithRequestLogger<T>(bindings: RequestLogBindings, fn: () => Promise<T>): Promise<T> {
  return requestScope.run(logger.child(bindings), fn);
}

/**
 * The logger for the current request: the bound child inside defineActions/defineRoute; otherwise
 * (pages, instrumentation) a child with the request id from the `x-request-id` header that
 * scripts/server.ts sets on every request; outside any request (scripts, tests) the process logger.
 */
export async function getRequestLogger(): Promise<Logger> {
  const scoped = requestScope.getStore();
  if (scoped) return scoped;
  try {
    // Imported lazily: next/headers only works inside a request, and scripts import this module.
    const { headers } = await import("next/headers");
    const requestId = (await headers()).get(REQUEST_ID_HEADER);
    return requestId ? logger.child({ requestId }) : logger;
  } catch {
    return logger;
  }
}
