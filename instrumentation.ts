import type { Instrumentation } from "next";

/**
 * Start-up: open the database once before the first request, so a locked embedded database
 * (another process holds it) stops the server at once with a message naming the holder, instead
 * of failing the first sign-in.
 */
export async function register(): Promise<void> {
  // One `if` block holding every Node-only import, not an early return: Next inlines NEXT_RUNTIME
  // at build time and drops the block from the Edge build of this file only in this form (else:
  // "Ecmascript file had an error" for the database's process APIs in the Edge Runtime).
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getPrisma } = await import("./lib/db");
    try {
      await getPrisma();
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    }
    // Settles "outcome unknown" audit events and prunes idempotency keys on a schedule (once per
    // process; safe with several instances — see lib/danger-zone/maintenance.ts).
    const { getEnv } = await import("./lib/env");
    const { startDangerZoneMaintenance } = await import("./lib/danger-zone/maintenance");
    startDangerZoneMaintenance(getEnv().AUDIT_RECONCILE_INTERVAL_SEC);
    // Bulk jobs run in the background of every server process (lib/bulk/worker.ts).
    const { startBulkWorker } = await import("./lib/bulk/worker");
    await startBulkWorker();
  }
}

/**
 * Unexpected errors while rendering or in route handlers: one structured log line that carries
 * both our request id and Next's digest (the reference the error page shows), so support can go
 * from what the operator saw to the log line.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logger } = await import("./lib/logger");
  const header = request.headers["x-request-id"];
  logger.error(
    {
      requestId: Array.isArray(header) ? header[0] : header,
      digest: (error as { digest?: string }).digest,
      path: request.path,
      method: request.method,
      routeType: context.routeType,
      err: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    },
    "unexpected error while handling a request",
  );
};
