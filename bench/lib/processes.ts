import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * Every process the bench starts runs in its own process group (detached), so stopping it stops
 * everything it started in turn (tsx's node child, the tenant, the app server). Groups are
 * remembered here and killed on normal exit, on failure and on Ctrl-C.
 */

export const ROOT = path.resolve(__dirname, "..", "..");
export const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

export type ManagedProcess = {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<number>;
};

const running = new Set<ManagedProcess>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts `command` in its own process group; stdout and stderr go to `logFile`. */
export function startManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; logFile: string; cwd?: string },
): ManagedProcess {
  const log = openSync(options.logFile, "a");
  const child = spawn(command, [...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env,
    detached: true,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 0)));
    child.once("error", () => resolve(127));
  });
  const managed: ManagedProcess = { name, child, pid: child.pid, logFile: options.logFile, exited };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

/** SIGTERM to the whole group, SIGKILL after `graceMs`. Resolves once the leader exited. */
export async function stopManaged(managed: ManagedProcess, graceMs = 8_000): Promise<void> {
  if (!running.has(managed)) {
    signalGroup(managed.pid, "SIGKILL"); // stragglers of an exited leader
    return;
  }
  signalGroup(managed.pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(managed.pid, "SIGKILL"), graceMs);
  await managed.exited;
  clearTimeout(timer);
  // Grandchildren that ignored SIGTERM must not outlive the run.
  signalGroup(managed.pid, "SIGKILL");
}

/** Runs a command to completion (own group, output to logFile); resolves with its exit code. */
export async function runManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; logFile: string; timeoutMs?: number },
): Promise<number> {
  const managed = startManaged(name, command, args, options);
  const timer =
    options.timeoutMs === undefined ? undefined : setTimeout(() => void stopManaged(managed, 2_000), options.timeoutMs);
  const code = await managed.exited;
  if (timer) clearTimeout(timer);
  signalGroup(managed.pid, "SIGKILL");
  return code;
}

const temporaryDirectories = new Set<string>();

/** Deleted when this process exits, however it exits (databases, tenant state; not logs). */
export function removeOnExit(directory: string): void {
  temporaryDirectories.add(directory);
}

let handlersInstalled = false;

/** Kills every managed group when this process ends, however it ends. */
export function installCleanupHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const managed of running) signalGroup(managed.pid, "SIGKILL");
    for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      process.stderr.write(`\n[bench] ${signal}: stopping everything it started…\n`);
      void Promise.all([...running].map((managed) => stopManaged(managed, 3_000))).finally(() => process.exit(130));
    });
  }
}

/** Last `lines` lines of a log file (for error messages). */
export function tailLog(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

type ProcInfo = { pid: number; ppid: number; cmdline: string };

function readProcs(): ProcInfo[] {
  const result: ProcInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      result.push({ pid: Number(entry), ppid: Number(afterName[1]), cmdline });
    } catch {
      // Exited while we looked.
    }
  }
  return result;
}

/**
 * The process below `rootPid` whose command line contains `needle` and none of whose own
 * descendants does: with tsx, the innermost node process is the one running the script.
 */
export function findDescendant(rootPid: number, needle: string): number | undefined {
  const procs = readProcs();
  const children = new Map<number, ProcInfo[]>();
  for (const proc of procs) {
    const list = children.get(proc.ppid) ?? [];
    list.push(proc);
    children.set(proc.ppid, list);
  }
  let found: number | undefined;
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      if (child.cmdline.includes(needle)) found = child.pid;
      walk(child.pid);
    }
  };
  walk(rootPid);
  return found;
}

/** VmHWM (peak resident set) and VmRSS of a process in kB, or undefined once it is gone. */
export function readMemory(pid: number): { peakKb: number; rssKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const peak = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    const rss = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    if (peak === undefined || rss === undefined) return undefined;
    return { peakKb: Number(peak), rssKb: Number(rss) };
  } catch {
    return undefined;
  }
}

/**
 * The end of a bench child (bench/bulk.ts, bench/bulk-preview.ts): runs `main`, writes its
 * figures as one JSON line on stdout, and exits 0 — or writes the error to stderr and exits 1.
 */
export function runJsonChildMain(main: () => Promise<unknown>): void {
  main().then(
    (output) => {
      process.stdout.write(`${JSON.stringify(output)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
