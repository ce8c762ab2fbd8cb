import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseLockedError, acquireDatabaseLock } from "@/lib/db/lock";

const root = path.resolve(import.meta.dirname, "../../..");
const fixture = path.join(import.meta.dirname, "fixtures/hold-lock.ts");

const children: ChildProcessWithoutNullStreams[] = [];
const folders: string[] = [];

function temporaryDataDir(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "passdesk-lock-"));
  folders.push(folder);
  return folder;
}

/** Node itself (not the tsx wrapper, which forks) so the child's pid is the lock holder's pid. */
function spawnHolder(dataDir: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["--import", "tsx", fixture, dataDir], { cwd: root });
}

/** Starts a child that holds the lock; resolves with its first line of output. */
function startHolder(dataDir: string): Promise<{ child: ChildProcessWithoutNullStreams; line: string }> {
  const child = spawnHolder(dataDir);
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf("\n");
      if (newline >= 0) resolve({ child, line: output.slice(0, newline) });
    });
    child.on("exit", (code) => reject(new Error(`holder exited early with ${code}: ${output}`)));
  });
}

function waitForExit(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("embedded database lock", () => {
  it("refuses a second process and names the holder", async () => {
    const dataDir = temporaryDataDir();
    const { child, line } = await startHolder(dataDir);
    expect(line).toBe("locked");

    let caught: unknown;
    try {
      acquireDatabaseLock(dataDir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatabaseLockedError);
    const message = (caught as Error).message;
    expect(message).toContain(`in use by process ${child.pid}`);
    expect(message).toContain("hold-lock.ts");
    expect(message).toContain(`${dataDir}/db`);
    expect(message).toMatch(/since \d{4}-\d\d-\d\dT/);
    expect(message).toContain("set DATA_DIR to another folder");
  });

  it("gives the second process the same error when this process holds it", async () => {
    const dataDir = temporaryDataDir();
    const lock = acquireDatabaseLock(dataDir);
    try {
      const child = spawnHolder(dataDir);
      children.push(child);
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      await waitForExit(child);
      expect(child.exitCode).toBe(3);
      expect(output).toContain(`in use by process ${process.pid}`);
    } finally {
      lock.release();
    }
  });

  it("takes over a lock left by a process that died without releasing it", async () => {
    const dataDir = temporaryDataDir();
    const { child } = await startHolder(dataDir);
    child.kill("SIGKILL"); // no exit handler runs: the lock file stays behind
    await waitForExit(child);
    expect(existsSync(path.join(dataDir, "db.lock"))).toBe(true);

    const lock = acquireDatabaseLock(dataDir);
    const holder = JSON.parse(readFileSync(lock.path, "utf8")) as { pid: number };
    expect(holder.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it("is released when the holder exits normally", async () => {
    const dataDir = temporaryDataDir();
    const { child } = await startHolder(dataDir);
    child.stdin.end();
    await waitForExit(child);
    expect(child.exitCode).toBe(0);
    expect(existsSync(path.join(dataDir, "db.lock"))).toBe(false);
  });

  it("treats an unreadable lock file as stale and is re-entrant in one process", () => {
    const dataDir = temporaryDataDir();
    writeFileSync(path.join(dataDir, "db.lock"), "{not json");
    const first = acquireDatabaseLock(dataDir);
    expect(acquireDatabaseLock(dataDir)).toBe(first);
    first.release();
    first.release(); // idempotent
    expect(existsSync(first.path)).toBe(false);
  });
});
