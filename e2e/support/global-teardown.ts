import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { TEST_SECRET_MARKER } from "./fixtures";

/** Every file below a directory (the embedded database and the tenant's state). */
function filesBelow(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    return statSync(full).isDirectory() ? filesBelow(full) : [full];
  });
}

/**
 * After the whole suite: no password made by `testPassword()` may appear in the server log, the
 * embedded database's files (PGlite stores short text uncompressed in its pages) or the tenant's
 * snapshot (which holds only hashes).
 */
export default async function globalTeardown(): Promise<void> {
  const dataDir = process.env.PASSDESK_E2E_DATA_DIR;
  if (!dataDir) return;
  const marker = Buffer.from(TEST_SECRET_MARKER);
  const files = [path.join(dataDir, "server.log"), ...filesBelow(path.join(dataDir, "db")), ...filesBelow(path.join(dataDir, "tenant"))];
  let bytes = 0;
  const leaks: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const content = readFileSync(file);
    bytes += content.length;
    if (content.includes(marker)) leaks.push(path.relative(dataDir, file));
  }
  console.log(`[secret check] searched ${files.length} files (${(bytes / 1024 / 1024).toFixed(1)} MiB) for test passwords: ${leaks.length === 0 ? "none found" : `FOUND in ${leaks.join(", ")}`}`);
  if (leaks.length > 0) throw new Error(`A test password was stored or logged: ${leaks.join(", ")}`);
}
