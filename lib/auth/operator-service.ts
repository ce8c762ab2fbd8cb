import "server-only";
import { getPrisma } from "@/lib/db";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import type { RequestMeta } from "@/lib/request-meta";
import { SignInThrottledError } from "./errors";
import { burnVerificationTime, verifyOperatorPassword } from "./passwords";
import type { Role } from "./permissions";
import { isThrottled, retryAt, windowStart } from "./throttle-rules";

/** What the rest of the app knows about the signed-in operator (never the password hash). */
export type OperatorIdentity = { id: string; email: string; name: string; role: Role };

const identitySelect = { id: true, email: true, name: true, role: true } as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findActiveOperator(id: string): Promise<OperatorIdentity | null> {
  const db = await getPrisma();
  const operator = await db.operator.findUnique({
    where: { id },
    select: { ...identitySelect, disabled: true },
  });
  if (!operator || operator.disabled) return null;
  return { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
}

export type SignInResult =
  | { ok: true; operator: OperatorIdentity }
  | { ok: false; reason: "invalid" };

/**
 * Checks an email and password. Wrong email, wrong password and disabled account are the same
 * "invalid" result so the form cannot be used to discover accounts. Throttled callers are
 * refused before the password is even checked.
 */
export async function signInWithPassword(
  emailInput: string,
  password: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<SignInResult> {
  const db = await getPrisma();
  const email = normalizeEmail(emailInput);
  const ip = meta.ip ?? "unknown";
  const since = windowStart(now);

  const [forEmail, forIp] = await Promise.all([
    db.signInFailure.count({ where: { email, createdAt: { gte: since } } }),
    db.signInFailure.count({ where: { ip, createdAt: { gte: since } } }),
  ]);
  if (isThrottled({ forEmail, forIp })) {
    const oldest = await db.signInFailure.findFirst({
      where: { createdAt: { gte: since }, OR: [{ email }, { ip }] },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    await recordOperatorEvent("operator.sign_in_failed", {
      actor: null,
      meta,
      target: { email },
      details: { failureReason: "throttled" },
      outcome: "FAILED",
    });
    throw new SignInThrottledError(retryAt(oldest?.createdAt ?? now));
  }

  const operator = await db.operator.findUnique({
    where: { email },
    select: { ...identitySelect, passwordHash: true, disabled: true },
  });
  const isValid = operator
    ? await verifyOperatorPassword(operator.passwordHash, password)
    : (await burnVerificationTime(password), false);

  if (!operator || !isValid || operator.disabled) {
    await db.signInFailure.create({ data: { email, ip, createdAt: now } });
    await recordOperatorEvent("operator.sign_in_failed", {
      actor: null,
      meta,
      target: { email },
      details: { failureReason: operator?.disabled && isValid ? "disabled" : "bad_credentials" },
      outcome: "FAILED",
    });
    return { ok: false, reason: "invalid" };
  }

  await db.operator.update({ where: { id: operator.id }, data: { lastSignInAt: now } });
  const identity: OperatorIdentity = { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
  await recordOperatorEvent("operator.sign_in", { actor: identity, meta, target: { email }, details: {} });
  return { ok: true, operator: identity };
}
