/**
 * npm run operator -- create --email a@b.c --role admin|support|auditor [--name "A B"] [--generate]
 * npm run operator -- disable --email a@b.c
 * npm run operator -- enable --email a@b.c
 * npm run operator -- reset-mfa --email a@b.c   (removes app, passkeys, recovery codes; ends all sessions)
 * npm run operator -- list
 * npm run operator -- scope --email a@b.c [--connection NAME]… [--organization ID_OR_NAME]… [--filter LUCENE] | --clear
 *   (checked against the tenant like on the Operators page: needs the app's Auth0 settings; a refused
 *   scope prints each problem and saves nothing)
 *
 * Works on the same database as the app (DATA_DIR or DATABASE_URL). The embedded database is
 * single-process: stop the app first, or the lock error says which process holds it.
 * create/enable/disable are audited like changes from the web UI, with no operator as the actor
 * and details.via "cli" plus the OS user who ran the command.
 */
import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import readline from "node:readline";
import { Writable } from "node:stream";
import { EnvError } from "@/lib/env";
import { closePrisma } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate-database";
import {
  OperatorExistsError,
  changeOperatorDisabled,
  createOperatorWithInitialPassword,
  resetOperatorMfa,
  findOperatorByEmail,
  listOperators,
  type OperatorActor,
} from "@/lib/operators/service";
import { isRole } from "@/lib/auth/permissions";
import { Auth0Error } from "@/lib/auth0/errors";
import { changeOperatorScope } from "@/lib/operators/service";
import { scopeProblemMessage } from "@/lib/scope/problem-messages";
import { scopeKey } from "@/lib/scope/types";
import scopeMessages from "@/messages/en/OperatorScope.json";

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function usage(): never {
  console.error(
    [
      "Usage:",
      "  npm run operator -- create --email EMAIL --role admin|support|auditor [--name NAME] [--generate]",
      "  npm run operator -- disable --email EMAIL",
      "  npm run operator -- enable --email EMAIL",
      "  npm run operator -- reset-mfa --email EMAIL",
      "  npm run operator -- list",
      "  npm run operator -- scope --email EMAIL [--connection NAME]... [--organization ID_OR_NAME]... [--filter LUCENE] | --clear",
    ].join("\n"),
  );
  process.exit(2);
}

/** Reads a password without echoing it. */
async function promptPassword(question: string): Promise<string> {
  let isMuted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!isMuted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question(question, resolve));
  isMuted = true;
  const password = await answer;
  rl.close();
  process.stdout.write("\n");
  return password;
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      generate: { type: "boolean", default: false },
      connection: { type: "string", multiple: true },
      organization: { type: "string", multiple: true },
      filter: { type: "string" },
      clear: { type: "boolean", default: false },
    },
  });
  const command = positionals[0];
  await migrateDatabase();
  const cli: OperatorActor = { kind: "cli", osUser: osUserName(), requestId: randomUUID() };

  if (command === "list") {
    for (const operator of await listOperators()) {
      console.log(
        [operator.email.padEnd(36), operator.role.padEnd(8), operator.disabled ? "disabled" : "active  ", operator.name].join("  "),
      );
    }
    return;
  }

  // `scope EMAIL …` reads as well as `scope --email EMAIL …`.
  const email = (values.email ?? (command === "scope" ? positionals[1] : undefined))?.trim();
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) usage();

  if (command === "create") {
    const role = values.role?.toUpperCase();
    if (!isRole(role)) usage();
    let password: string | undefined;
    if (!values.generate && process.stdin.isTTY) {
      password = await promptPassword("Password (empty to generate one): ");
      if (password === "") {
        password = undefined;
      } else if (password.length < 12) {
        console.error("The password must have at least 12 characters.");
        process.exit(2);
      } else if ((await promptPassword("Repeat the password: ")) !== password) {
        console.error("The passwords do not match.");
        process.exit(2);
      }
    }
    const { operator: created, initialPassword, isGenerated } = await createOperatorWithInitialPassword(
      { email, role, name: values.name ?? email.split("@")[0] ?? email, password },
      cli,
    );
    console.log(`Created ${created.role.toLowerCase()} operator ${created.email}.`);
    if (isGenerated) console.log(`Initial password (shown once): ${initialPassword}`);
    return;
  }

  if (command === "disable" || command === "enable") {
    const operator = await findOperatorByEmail(email);
    if (!operator) {
      console.error(`No operator with the email ${email}.`);
      process.exit(1);
    }
    await changeOperatorDisabled(operator, command === "disable", cli);
    console.log(`${command === "disable" ? "Disabled" : "Enabled"} ${operator.email}.`);
    return;
  }

  if (command === "scope") {
    const parts = [values.connection?.length, values.organization?.length, values.filter !== undefined].some(Boolean);
    // Either --clear (the whole tenant) or at least one part, never both: a scope is never widened by accident.
    if (values.clear === parts) usage();
    const operator = await findOperatorByEmail(email);
    if (!operator) {
      console.error(`No operator with the email ${email}.`);
      process.exit(1);
    }
    const input = values.clear ? {} : { connections: values.connection ?? [], organizations: values.organization ?? [], filter: values.filter ?? null };
    let result: Awaited<ReturnType<typeof changeOperatorScope>>;
    try {
      result = await changeOperatorScope(operator, input, cli);
    } catch (error) {
      if (!(error instanceof Auth0Error)) throw error;
      console.error(`${scopeMessages.errors.unverifiable} (${error.message})`);
      process.exit(1);
    }
    if (!result.ok) {
      // The English catalog's scope errors have only simple {placeholders} (next-intl's client entry cannot load here).
      const t = (key: keyof typeof scopeMessages.errors, params: Record<string, string>) =>
        scopeMessages.errors[key].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");
      console.error(scopeMessages.errors.refused);
      for (const problem of result.problems) console.error(`  ${problem.field}: ${scopeProblemMessage(problem, t)}`);
      process.exit(1);
    }
    const key = scopeKey(result.operator.scope);
    console.log(`${result.changed ? "Scope of" : "Scope unchanged for"} ${operator.email}: ${key === "" ? "whole tenant" : key}`);
    return;
  }

  if (command === "reset-mfa") {
    const operator = await findOperatorByEmail(email);
    if (!operator) {
      console.error(`No operator with the email ${email}.`);
      process.exit(1);
    }
    const { sessionsEnded } = await resetOperatorMfa(operator, cli);
    console.log(`Reset two-step verification of ${operator.email}; ended ${sessionsEnded} session(s).`);
    return;
  }
  usage();
}

main()
  .catch((error: unknown) => {
    if (error instanceof EnvError || error instanceof OperatorExistsError) console.error(error.message);
    else console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closePrisma());
