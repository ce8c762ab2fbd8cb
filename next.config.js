// @ts-check
const createNextIntlPlugin = require("next-intl/plugin");

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Parallel work trees (several engineers building at once) can build into their own folder.
  distDir: process.env.PASSDESK_DIST_DIR || ".next",
  poweredByHeader: false,
  // authInterrupts: forbidden() renders app/forbidden.tsx. preloadEntriesOnStart off: the server
  // loads a route's code when it is first asked for, not every route at start (peak RSS).
  // Bulk job CSV uploads (up to 50,000 rows, 8 MB, sent base64) go through a server action.
  experimental: { authInterrupts: true, preloadEntriesOnStart: false, serverActions: { bodySizeLimit: "12mb" } },
  // Types are checked by `npm run typecheck` (a separate step of `npm test`), not twice.
  typescript: { ignoreBuildErrors: true },
  // Native or WebAssembly packages that must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "argon2", "pino", "pg", "pg-boss", "auth0"],
  // Finding a user is what Passdesk is opened for. A redirect here is an HTTP 307 also for the
  // router's navigation after sign-in; a page calling redirect() would first show an empty `/`
  // without a title. /users itself asks for a session (every role may read users).
  async redirects() {
    return [{ source: "/", destination: "/users", permanent: false }];
  },
};

module.exports = withNextIntl(nextConfig);
