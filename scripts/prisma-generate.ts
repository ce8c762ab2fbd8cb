/**
 * `npm run prisma:generate`, also the package's postinstall.
 *
 * 1. Makes sure the `argon2` native module loads. Its prebuilt binary crashes (SIGSEGV) on some
 *    machines, which would take down sign-in; so we load it in a child process (a segfault there
 *    cannot kill this one) and, if that fails, rebuild it from source and check again.
 * 2. Generates the Prisma client into lib/generated/prisma. Every Prisma CLI command tries to
 *    download a native schema engine first, which fails offline; `prisma generate` does not
 *    actually need it, so PRISMA_SCHEMA_ENGINE_BINARY is pointed at an existing file to skip the
 *    download. Generation is skipped when the schema and Prisma version are unchanged since the
 *    last run (stamp file), so repeated installs stay quick. `--force` regenerates anyway.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const schemaPath = path.join(root, "prisma", "schema.prisma");
const outputDir = path.join(root, "lib", "generated", "prisma");
const stampPath = path.join(outputDir, ".schema-stamp");
const requireFromRoot = createRequire(path.join(root, "package.json"));
const npmCommand = process.platform === "win32" ? "npm.cmd" : "npm";

function log(message: string): void {
  console.log(`[prisma-generate] ${message}`);
}

/** Loads argon2 and hashes once in a separate process; true when that works. */
function canLoadArgon2(): boolean {
  const probe = `require("argon2").hash("probe",{type:2,memoryCost:1024,timeCost:2}).then(()=>process.exit(0),()=>process.exit(3))`;
  const result = spawnSync(process.execPath, ["-e", probe], { cwd: root, stdio: "ignore", timeout: 60_000 });
  return result.status === 0;
}

function ensureArgon2(): void {
  try {
    requireFromRoot.resolve("argon2");
  } catch {
    log("argon2 is not installed; skipping the native module check");
    return;
  }
  if (canLoadArgon2()) return;
  log("argon2's prebuilt binary does not load here; rebuilding it from source (takes a minute)…");
  const rebuild = spawnSync(npmCommand, ["rebuild", "argon2"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, npm_config_build_from_source: "true" },
  });
  if (rebuild.status !== 0 || !canLoadArgon2()) {
    // Not fatal for install: the app reports it at sign-in; but say so loudly here.
    console.error(
      "[prisma-generate] argon2 still does not load after `npm rebuild argon2` from source. " +
        "Install a C++ toolchain (build-essential, python3) and run `npm rebuild argon2` with " +
        "npm_config_build_from_source=true.",
    );
    process.exitCode = 1;
    return;
  }
  log("argon2 rebuilt from source and loads");
}

function prismaVersion(): string {
  try {
    const packageJson = JSON.parse(readFileSync(requireFromRoot.resolve("prisma/package.json"), "utf8")) as {
      version?: string;
    };
    return packageJson.version ?? "unknown";
  } catch {
    return "missing";
  }
}

function generateClient(force: boolean): void {
  const version = prismaVersion();
  if (version === "missing") {
    // `npm ci --omit=dev`: no CLI. A previously generated client (if any) is used as is.
    log("the prisma CLI is not installed; skipping client generation");
    return;
  }
  const stamp = createHash("sha256").update(readFileSync(schemaPath)).update(`\0${version}`).digest("hex");
  if (!force && existsSync(stampPath) && readFileSync(stampPath, "utf8") === stamp) {
    log("client is up to date");
    return;
  }
  const cli = requireFromRoot.resolve("prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, "generate", "--schema", schemaPath], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      // Any existing file stops the CLI from trying to download the engine; generate never runs it.
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
  if (result.status !== 0) {
    console.error("[prisma-generate] prisma generate failed");
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampPath, stamp);
}

ensureArgon2();
generateClient(process.argv.includes("--force"));
