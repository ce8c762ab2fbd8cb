import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateDemoSessionSecret } from "./env-demo-secret";
import { parseEnv } from "./env";

const OLD_FIXED_SECRET = "passdesk-demo-session-secret-do-not-use-in-production";

describe("demo session secret", () => {
  it("is random on first start, kept in DATA_DIR with mode 0600, and reused on restart", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "passdesk-secret-"));
    const first = loadOrCreateDemoSessionSecret(dataDir);
    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const file = path.join(dataDir, "session-secret");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(loadOrCreateDemoSessionSecret(dataDir)).toBe(first);
    expect(loadOrCreateDemoSessionSecret(mkdtempSync(path.join(tmpdir(), "passdesk-secret-")))).not.toBe(first);
  });

  it("tightens a secret file someone made readable to others", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "passdesk-secret-"));
    const file = path.join(dataDir, "session-secret");
    writeFileSync(file, "a".repeat(40));
    chmodSync(file, 0o644);
    expect(loadOrCreateDemoSessionSecret(dataDir)).toBe("a".repeat(40));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("parseEnv never falls back to the old fixed value", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "passdesk-secret-"));
    const demo = parseEnv({ DATA_DIR: dataDir }, { demoSessionSecret: loadOrCreateDemoSessionSecret });
    expect(demo.sessionSecret).toBe(readFileSync(path.join(dataDir, "session-secret"), "utf8").trim());
    expect(demo.sessionSecret).not.toBe(OLD_FIXED_SECRET);
    const pure = parseEnv({});
    expect(pure.sessionSecret).not.toBe(OLD_FIXED_SECRET);
    expect(pure.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(parseEnv({ NEXTAUTH_SECRET: "n".repeat(40) }, { demoSessionSecret: () => "unused" }).sessionSecret).toBe("n".repeat(40));
  });

  it("reads HOST and the session timeouts, with their defaults", () => {
    expect(parseEnv({})).toMatchObject({ SESSION_ABSOLUTE_TIMEOUT_MINUTES: 480, SESSION_IDLE_TIMEOUT_MINUTES: 30 });
    expect(parseEnv({}).HOST).toBeUndefined();
    expect(parseEnv({ HOST: "0.0.0.0", SESSION_ABSOLUTE_TIMEOUT_MINUTES: "600", SESSION_IDLE_TIMEOUT_MINUTES: "15" })).toMatchObject({
      HOST: "0.0.0.0",
      SESSION_ABSOLUTE_TIMEOUT_MINUTES: 600,
      SESSION_IDLE_TIMEOUT_MINUTES: 15,
    });
    expect(() => parseEnv({ SESSION_IDLE_TIMEOUT_MINUTES: "0" })).toThrow("SESSION_IDLE_TIMEOUT_MINUTES");
  });
});
