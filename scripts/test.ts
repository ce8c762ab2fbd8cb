/**
 * `npm test`: everything CI checks, in order, stopping at the first failure:
 * lint, types, unit + integration (Vitest), production build, e2e (Playwright, real Chromium).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

const steps: Array<{ name: string; command: string; args: string[] }> = [
  { name: "lint", command: bin("eslint"), args: [".", "--max-warnings=0"] },
  { name: "typecheck (app)", command: bin("tsc"), args: ["--noEmit"] },
  { name: "typecheck (tenant)", command: bin("tsc"), args: ["--noEmit", "-p", "tenant/tsconfig.json"] },
  { name: "unit + integration (vitest)", command: bin("vitest"), args: ["run"] },
  { name: "build", command: bin("tsx"), args: ["scripts/build.ts"] },
  { name: "bundle secrets", command: bin("tsx"), args: ["scripts/check-bundle-secrets.ts"] },
  { name: "e2e (playwright)", command: bin("playwright"), args: ["test"] },
];

const only = process.argv.slice(2);
const results: Array<{ name: string; ok: boolean; seconds: number }> = [];
for (const step of steps) {
  if (only.length > 0 && !only.some((word) => step.name.startsWith(word))) continue;
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const run = spawnSync(step.command, step.args, { cwd: root, stdio: "inherit", env: process.env });
  const ok = run.status === 0;
  results.push({ name: step.name, ok, seconds: Math.round((Date.now() - started) / 100) / 10 });
  if (!ok) break;
}

console.log("\n=== summary ===");
for (const result of results) console.log(`${result.ok ? "PASS" : "FAIL"}  ${result.name}  (${result.seconds} s)`);
const failed = results.filter((result) => !result.ok).length;
const notRun = steps.length - results.length - (only.length > 0 ? steps.filter((step) => !only.some((word) => step.name.startsWith(word))).length : 0);
console.log(`steps: ${results.length - failed} passed, ${failed + notRun} failed`);
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
