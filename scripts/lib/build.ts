import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./processes";

const SOURCES = ["app", "components", "lib", "messages", "i18n", "proxy.ts", "instrumentation.ts", "next.config.js", "package-lock.json", "postcss.config.mjs", "prisma/schema.prisma"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === "node_modules" || entry === "generated") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** Whether `.next` is missing or older than any source that goes into it. */
export function isBuildStale(): boolean {
  const buildId = path.join(ROOT, process.env.PASSDESK_DIST_DIR || ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > built);
}
