import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * PGlite has no cross-process locking: a second process opening the same data directory
 * silently loses writes. So every process that opens the embedded database first takes
 * `${DATA_DIR}/db.lock`, and a second one gets an error naming the holder.
 */

export type LockHolder = {
  pid: number;
  hostname: string;
  /** ISO time the holder took the lock. */
  startedAt: string;
  /** The holder's command line, shortened; helps a person find the process. */
  command: string;
};

export type DatabaseLock = {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
};

export class DatabaseLockedError extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly databaseDir: string,
  ) {
    const where = holder.hostname === os.hostname() ? "" : ` on host ${holder.hostname}`;
    super(
      `The embedded database in ${databaseDir} is in use by process ${holder.pid}${where} ` +
        `(${holder.command}) since ${holder.startedAt}; stop it or set DATA_DIR to another folder.`,
    );
    this.name = "DatabaseLockedError";
  }
}

const MAX_COMMAND_LENGTH = 200;

function currentCommand(): string {
  const command = process.argv
    .map((argument, index) => (index < 2 ? path.basename(argument) : argument))
    .join(" ");
  return command.length > MAX_COMMAND_LENGTH ? `${command.slice(0, MAX_COMMAND_LENGTH - 1)}…` : command;
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number" || typeof parsed.hostname !== "string") return undefined;
    return {
      pid: parsed.pid,
      hostname: parsed.hostname,
      startedAt: typeof parsed.startedAt === "string" ? parsed.startedAt : "an unknown time",
      command: typeof parsed.command === "string" ? parsed.command : "unknown command",
    };
  } catch {
    return undefined;
  }
}

/** Whether the holder is still running. Holders on other hosts are assumed alive: we cannot tell. */
function isAlive(holder: LockHolder): boolean {
  if (holder.hostname !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return true;
}

/**
 * Creates the lock file atomically with its content: written to a private temp file, then
 * hard-linked into place (link fails if the name exists), so no reader ever sees a half-written lock.
 */
function tryCreate(lockPath: string, holder: LockHolder): boolean {
  const temporary = `${lockPath}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(holder, null, 2)}\n`, { flag: "wx" });
  try {
    linkSync(temporary, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

const held = new Map<string, DatabaseLock>();

/**
 * Takes the embedded-database lock for `dataDir` (the lock file is `${dataDir}/db.lock`).
 * Re-entrant within one process (dev-mode module reloads). A lock left by a dead process on
 * this host is taken over. Released automatically when the process exits.
 *
 * @throws DatabaseLockedError when another live process holds it.
 */
export function acquireDatabaseLock(dataDir: string): DatabaseLock {
  const lockPath = path.resolve(dataDir, "db.lock");
  const existing = held.get(lockPath);
  if (existing) return existing;

  mkdirSync(path.dirname(lockPath), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    command: currentCommand(),
  };
  const databaseDir = `${dataDir.replace(/\/+$/, "")}/db`;

  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (tryCreate(lockPath, holder)) {
      const lock: DatabaseLock = {
        path: lockPath,
        holder,
        release() {
          if (!held.has(lockPath)) return;
          held.delete(lockPath);
          process.removeListener("exit", lock.release);
          // Only remove the file if it is still ours (never someone else's after a takeover).
          if (readHolder(lockPath)?.pid === process.pid && existsSync(lockPath)) unlinkSync(lockPath);
        },
      };
      held.set(lockPath, lock);
      process.once("exit", lock.release);
      return lock;
    }
    const current = readHolder(lockPath);
    if (current && current.pid === process.pid && current.hostname === holder.hostname) {
      // Our own lock from an earlier module instance (e.g. after hot reload lost the map).
      unlinkSync(lockPath);
      continue;
    }
    if (current && isAlive(current)) throw new DatabaseLockedError(current, databaseDir);
    // Stale (dead pid) or unreadable: take it over. Re-check just before removing so we do not
    // delete a lock another process created in the meantime.
    const again = readHolder(lockPath);
    if (again?.pid === current?.pid) {
      try {
        unlinkSync(lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  }
  const last = readHolder(lockPath);
  if (last) throw new DatabaseLockedError(last, databaseDir);
  throw new Error(`Could not take the database lock ${lockPath}`);
}
