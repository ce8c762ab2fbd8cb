import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/**
 * Runs a TypeScript entry point with tsx. `serverOnly` resolves the `server-only` marker the way
 * Next's server bundle does, so scripts can reuse lib/ modules that carry it.
 */
export function spawnTsx(
  entry: string,
  args: string[] = [],
  options: SpawnOptions & { serverOnly?: boolean } = {},
): ChildProcess {
  const flags = options.serverOnly ? ["--conditions=react-server"] : [];
  return spawn(TSX, [...flags, path.join(ROOT, entry), ...args], {
    cwd: ROOT,
    stdio: "inherit",
    ...options,
  });
}

export function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function runTsx(entry: string, args: string[] = [], options: SpawnOptions & { serverOnly?: boolean } = {}) {
  const code = await waitForExit(spawnTsx(entry, args, options));
  if (code !== 0) throw new Error(`${entry} ${args.join(" ")} exited with code ${code}`);
}

/** Forwards Ctrl-C and termination to children, then exits with the first failure. */
export function superviseChildren(children: ChildProcess[]): void {
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    setTimeout(() => process.exit(code), 3000).unref();
  };
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
  for (const child of children) {
    child.on("exit", (code) => stop(code ?? 0));
  }
}
