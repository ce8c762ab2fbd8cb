import "server-only";
import { ManagementError, type ManagementClient } from "auth0";
import type { CallOptions, ManagementApi, RunOptions } from "./client";
import { Auth0ScopeError } from "./errors";

/** Auth0's 403 text: "Insufficient scope, expected any of: read:logs,read:logs_users". */
const EXPECTED = /expected any of:\s*([\w:,\s.-]+)$/i;

/** The scopes named in an insufficient_scope message, or [] when it names none. */
export function scopesFromMessage(message: unknown): string[] {
  if (typeof message !== "string") return [];
  const match = EXPECTED.exec(message.trim());
  return (match?.[1] ?? "")
    .split(",")
    .map((scope) => scope.trim())
    .filter((scope) => /^[a-z_]+:[a-z_]+$/.test(scope));
}

/**
 * Runs one SDK call and turns Auth0's 403 `insufficient_scope` into an Auth0ScopeError that
 * names the scope — from Auth0's message, else `needed` (what the endpoint is documented to
 * need) — so a panel can say which scope the M2M application lacks. Other failures pass
 * through to the client's usual mapping.
 */
export async function withScopeCheck<T>(needed: readonly string[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ManagementError && error.statusCode === 403) {
      const body = (typeof error.body === "object" && error.body !== null ? error.body : {}) as {
        message?: unknown;
        errorCode?: unknown;
      };
      if (body.errorCode === "insufficient_scope") {
        const named = scopesFromMessage(body.message);
        const scopes = named.length > 0 ? named : [...needed];
        throw new Auth0ScopeError(
          `Passdesk's Auth0 application is missing the scope ${scopes.join(" or ")}.`,
          "insufficient_scope",
          scopes,
        );
      }
    }
    throw error;
  }
}

/** `api.run` of one SDK call that needs `scopes`, with the missing-scope mapping of withScopeCheck. */
export function runScoped<T>(
  api: ManagementApi,
  name: string,
  scopes: readonly string[],
  call: (client: ManagementClient, options: CallOptions) => Promise<T>,
  runOptions?: RunOptions,
): Promise<T> {
  return api.run(name, (client, options) => withScopeCheck(scopes, () => call(client, options)), runOptions);
}
