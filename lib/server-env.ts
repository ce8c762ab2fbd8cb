import "server-only";

/**
 * The validated environment for app code (pages, route handlers, actions, lib modules): the same
 * parser as lib/env.ts behind a `server-only` guard, so importing it from a client component
 * fails the build instead of shipping secrets to the browser. lib/env.ts itself stays importable
 * by the CLI scripts and the migration runner, which run outside Next.js. Passdesk has no
 * browser-side variables; one would go in a separate client module with a NEXT_PUBLIC_ name.
 */
export { getEnv, type Env } from "./env";
