/**
 * `npm run audit:verify`: walks the audit hash chain of the configured database.
 * Exit 0 when intact; 1 naming the first bad event (edited, deleted, inserted, reordered);
 * 2 when the check itself could not run (database unavailable).
 * Run with `tsx --conditions=react-server` (lib/db/client.ts is server-only).
 */
import { closePrisma, getPrisma } from "../lib/db/client";
import { verifyAuditChain } from "../lib/audit/verify";

async function main(): Promise<number> {
  const batchArgument = process.argv.find((argument) => argument.startsWith("--batch-size="));
  const batchSize = batchArgument ? Number(batchArgument.split("=")[1]) : undefined;
  try {
    const prisma = await getPrisma();
    const started = Date.now();
    const result = await verifyAuditChain(prisma, { batchSize });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      console.log(
        `Audit chain intact: ${result.count} events verified in ${seconds}s (head ${result.headSequence}, ${result.headHash}).`,
      );
      return 0;
    }
    console.error(`${result.message} (${result.reason}; ${result.count} events before it are intact).`);
    return 1;
  } catch (error) {
    console.error(
      `Could not verify the audit chain: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 2;
  } finally {
    await closePrisma().catch(() => undefined);
  }
}

main().then((code) => process.exit(code));
