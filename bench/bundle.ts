import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { z } from "zod";

/**
 * First-load JavaScript per route, gzip-compressed (level 9, like Next's own size report), read
 * from the production build. Next 16 writes the chunk list per route to
 * `diagnostics/route-bundle-stats.json`; when that file is missing, the list is derived from the
 * route's client-reference manifest (`entryJSFiles`: layouts, page and boundaries of the route)
 * plus `build-manifest.json`'s `rootMainFiles` — the same set.
 */

export type ChunkSize = { file: string; rawBytes: number; gzipBytes: number; contains: string[] };
export type RouteBundle = {
  route: string;
  rawBytes: number;
  gzipBytes: number;
  /** Of gzipBytes: Next.js and React's own runtime (build-manifest rootMainFiles), the same on every route. */
  frameworkGzipBytes: number;
  chunks: number;
  /** The three largest chunks (gzip), to say what to split or lazy-load. */
  largest: ChunkSize[];
};
export type BundleReport = { source: string; routes: RouteBundle[] };

const routeStatsSchema = z.array(z.object({ route: z.string(), firstLoadChunkPaths: z.array(z.string()) }));
const buildManifestSchema = z.object({ rootMainFiles: z.array(z.string()).default([]) });
const referenceManifestSchema = z.object({ entryJSFiles: z.record(z.string(), z.array(z.string())).default({}) });

/** Recognisable libraries, found by strings that survive minification. */
const MARKERS: readonly [label: string, pattern: RegExp][] = [
  ["zxcvbn dictionaries", /zxcvbn/],
  ["react-dom", /react-dom|__reactFiber/],
  ["zod", /ZodError|_zod/],
  ["@tanstack/query", /QueryClient|queryFn/],
  ["radix-ui", /radix|data-radix/i],
  ["next-intl", /NextIntlClientProvider|next-intl/],
  ["next router", /addBasePath|__NEXT_DATA__|app-router/],
];

const chunkCache = new Map<string, ChunkSize>();

function measureChunk(distDir: string, relative: string): ChunkSize {
  const cleaned = relative.replace(/^\/?_next\//, "");
  const cached = chunkCache.get(cleaned);
  if (cached) return cached;
  const file = path.join(distDir, cleaned);
  const content = readFileSync(file);
  const text = content.toString("utf8");
  const size: ChunkSize = {
    file: cleaned,
    rawBytes: content.length,
    gzipBytes: gzipSync(content, { level: 9 }).length,
    contains: MARKERS.filter(([, pattern]) => pattern.test(text)).map(([label]) => label),
  };
  chunkCache.set(cleaned, size);
  return size;
}

function rootMainFiles(distDir: string): Set<string> {
  const file = path.join(distDir, "build-manifest.json");
  if (!existsSync(file)) return new Set();
  return new Set(buildManifestSchema.parse(JSON.parse(readFileSync(file, "utf8"))).rootMainFiles);
}

function summarizeRoute(distDir: string, route: string, files: readonly string[]): RouteBundle {
  const chunks = [...new Set(files)].map((file) => measureChunk(distDir, file));
  const framework = rootMainFiles(distDir);
  return {
    route,
    rawBytes: chunks.reduce((sum, chunk) => sum + chunk.rawBytes, 0),
    gzipBytes: chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0),
    frameworkGzipBytes: chunks.filter((chunk) => framework.has(chunk.file)).reduce((sum, chunk) => sum + chunk.gzipBytes, 0),
    chunks: chunks.length,
    largest: [...chunks].sort((a, b) => b.gzipBytes - a.gzipBytes).slice(0, 3),
  };
}

function fromRouteStats(distDir: string): RouteBundle[] | undefined {
  const file = path.join(distDir, "diagnostics", "route-bundle-stats.json");
  if (!existsSync(file)) return undefined;
  const parsed = routeStatsSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) return undefined;
  const distName = path.basename(distDir);
  return parsed.data.map((entry) =>
    summarizeRoute(
      distDir,
      entry.route,
      // Paths are relative to the project root and start with the dist dir's name.
      entry.firstLoadChunkPaths.map((chunk) => chunk.replace(new RegExp(`^\\.?/?${distName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`), "")),
    ),
  );
}

function manifestFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return manifestFiles(full);
    return entry.name === "page_client-reference-manifest.js" ? [full] : [];
  });
}

export function fromReferenceManifests(distDir: string): RouteBundle[] {
  const build = buildManifestSchema.parse(JSON.parse(readFileSync(path.join(distDir, "build-manifest.json"), "utf8")));
  const appDir = path.join(distDir, "server", "app");
  return manifestFiles(appDir).map((file) => {
    const source = readFileSync(file, "utf8");
    const json = source.slice(source.indexOf("= {") + 2).replace(/;\s*$/, "");
    const manifest = referenceManifestSchema.parse(JSON.parse(json));
    const routeDir = path.relative(appDir, path.dirname(file)).split(path.sep);
    const route = "/" + routeDir.filter((segment) => !/^\(.*\)$/.test(segment)).join("/");
    // A route's manifest lists exactly the entries its tree renders: layouts, the page, and the
    // error / not-found / forbidden boundaries on the way down. The browser loads all of them.
    const files = Object.values(manifest.entryJSFiles).flat();
    return summarizeRoute(distDir, route === "/" ? "/" : route.replace(/\/$/, ""), [...files, ...build.rootMainFiles]);
  });
}

export function measureFirstLoadJs(distDir: string): BundleReport {
  const fromStats = fromRouteStats(distDir);
  const routes = fromStats ?? fromReferenceManifests(distDir);
  routes.sort((a, b) => a.route.localeCompare(b.route));
  return {
    source: fromStats ? "diagnostics/route-bundle-stats.json" : "client-reference manifests + build-manifest.json",
    routes,
  };
}
