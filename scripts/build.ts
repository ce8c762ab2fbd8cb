/**
 * `next build` for `npm test` and CI: the same build, and a failure when Turbopack reports
 * warnings — e.g. "Ecmascript file had an error" for Node-only code reaching the Edge build of
 * instrumentation.ts, which `next build` prints and then still exits 0.
 */
import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const child = spawn(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, env: process.env });
let output = "";
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
  });
}
child.on("close", (code) => {
  if (code !== 0) process.exit(code ?? 1);
  const warnings = /Turbopack build encountered \d+ warnings?|Ecmascript file had an error/.exec(output);
  if (warnings) {
    console.error(`\n[build] the build printed "${warnings[0]}": fix the warnings above (the build must be clean).`);
    process.exit(1);
  }
});
