/**
 * The browser's one way to read Passdesk's JSON route handlers (/api/users*, /api/audit/*):
 * a failed answer becomes an ApiError carrying the stable code the UI translates.
 */

/** An error answer of a Passdesk route handler (or status 0 / "network" when none came back). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** ISO time to retry after (rate limits); null otherwise. */
    readonly retryAt: string | null,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; retryAt?: unknown; requestId?: unknown } };

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export async function getJson<T>(url: string, signal: AbortSignal | undefined): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "network", "The network request failed.", null, null);
  }
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  const detail = body.error ?? {};
  throw new ApiError(
    response.status,
    stringOrNull(detail.code) ?? "internal",
    stringOrNull(detail.message) ?? response.statusText,
    stringOrNull(detail.retryAt),
    stringOrNull(detail.requestId),
  );
}

/** TanStack `retry`: once for a network or server failure; never for a 4xx (bad input, 429, lost permission). */
export function retryUnlessClientError(failureCount: number, error: Error): boolean {
  return !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 1;
}
