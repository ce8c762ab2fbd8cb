/**
 * Work to finish before the process exits on SIGTERM / SIGINT: scripts/server.ts runs the hooks
 * after it stops taking requests. Kept on globalThis because instrumentation.ts (which registers,
 * e.g. the bulk worker) is loaded by Next.js in its own module graph inside the same process.
 * No "server-only" marker: scripts/server.ts runs outside Next's bundles.
 */
type ShutdownHook = () => Promise<void>;

const holder = globalThis as typeof globalThis & { __passdeskShutdownHooks?: ShutdownHook[] };

export function onShutdown(hook: ShutdownHook): void {
  (holder.__passdeskShutdownHooks ??= []).push(hook);
}

/** Runs every registered hook once, at the same time; a failing hook does not stop the others. */
export async function runShutdownHooks(): Promise<void> {
  const hooks = holder.__passdeskShutdownHooks?.splice(0) ?? [];
  await Promise.allSettled(hooks.map((hook) => hook()));
}
