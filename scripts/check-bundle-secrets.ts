/**
 * Fails when a server secret is found in the browser bundles of the production build: the demo
 * M2M client secret, the demo session secret, and whatever AUTH0_CLIENT_SECRET / NEXTAUTH_SECRET
 * this environment configures. Run after `next build` (part of `npm test`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { LOCAL_TENANT_DEFAULTS } from "@/lib/env";
import { DEMO_SECRET_FILE } from "@/lib/env-demo-secret";

const root = path.resolve(__dirname, "..");
const distDir = path.join(root, process.env.PASSDESK_DIST_DIR || ".next");
const staticDir = path.join(distDir, "static");

function filesBelow(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    return statSync(full).isDirectory() ? filesBelow(full) : [full];
  });
}

const secrets = new Map<string, string>([
  ["demo M2M client secret", LOCAL_TENANT_DEFAULTS.clientSecret],
  // No longer used anywhere (demo secrets are random now); kept as a canary.
  ["old fixed demo session secret", "passdesk-demo-session-secret-do-not-use-in-production"],
]);
if (process.env.AUTH0_CLIENT_SECRET) secrets.set("AUTH0_CLIENT_SECRET", process.env.AUTH0_CLIENT_SECRET);
if (process.env.NEXTAUTH_SECRET) secrets.set("NEXTAUTH_SECRET", process.env.NEXTAUTH_SECRET);
// Demo mode's generated secret (lib/env-demo-secret.ts), when this DATA_DIR has one.
const demoSecretFile = path.join(process.env.DATA_DIR || "./data", DEMO_SECRET_FILE);
if (existsSync(demoSecretFile)) secrets.set("demo session secret file", readFileSync(demoSecretFile, "utf8").trim());

if (!existsSync(staticDir)) {
  console.error(`No production build at ${distDir}: run \`next build\` first.`);
  process.exit(1);
}
const files = filesBelow(staticDir).filter((file) => /\.(js|css|html|json|map)$/.test(file));
const found: string[] = [];
let bytes = 0;
for (const file of files) {
  const content = readFileSync(file, "utf8");
  bytes += content.length;
  for (const [name, value] of secrets) if (content.includes(value)) found.push(`${name} in ${path.relative(root, file)}`);
}
console.log(`[bundle secrets] ${files.length} client files (${(bytes / 1024).toFixed(0)} KiB) checked for ${secrets.size} secrets: ${found.length === 0 ? "none found" : "FOUND"}`);
if (found.length > 0) {
  for (const line of found) console.error(`  ${line}`);
  process.exit(1);
}
