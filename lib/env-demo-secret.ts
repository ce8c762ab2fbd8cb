import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Demo mode's session secret: random on first start, kept in `${DATA_DIR}/session-secret`
 * (mode 0600) and reused on restart, so a fresh clone needs no .env and no two installations
 * share a secret. Used only when NEXTAUTH_SECRET is unset.
 */
export const DEMO_SECRET_FILE = "session-secret";

export function loadOrCreateDemoSessionSecret(dataDir: string): string {
  const file = path.resolve(dataDir, DEMO_SECRET_FILE);
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": when two processes start at once, the second one reads the first one's secret.
    writeFileSync(file, `${randomBytes(48).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const created = readSecret(file);
  if (!created) throw new Error(`Could not read the demo session secret in ${file}`);
  return created;
}

function readSecret(file: string): string | null {
  try {
    // Someone loosened the mode (or an old copy did): tighten it again.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const value = readFileSync(file, "utf8").trim();
    return value.length >= 32 ? value : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
