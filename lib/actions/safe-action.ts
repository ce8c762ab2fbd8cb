import "server-only";
import { getTranslations } from "next-intl/server";
import { type z } from "zod";
import { ForbiddenError, UnauthenticatedError } from "@/lib/auth/errors";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { Permission } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { getRequestLogger, runWithRequestLogger } from "@/lib/logger";
import { getRequestMeta, type RequestMeta } from "@/lib/request-meta";

/** What every server action returns: expected failures are values, never thrown. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      code: "unauthenticated" | "forbidden" | "invalid" | "conflict" | "not_found" | "upstream" | "rate_limited" | "internal";
      error: string;
      fieldErrors?: Record<string, string[]>;
      requestId?: string;
    };

export type ActionContext = { operator: OperatorIdentity; meta: RequestMeta };

export type ActionFailure = Extract<ActionResult<never>, { ok: false }>;

export function actionFailure(code: ActionFailure["code"], error: string, fieldErrors?: Record<string, string[]>): ActionFailure {
  return fieldErrors ? { ok: false, code, error, fieldErrors } : { ok: false, code, error };
}

/** FormData becomes a plain object (single values as strings); plain objects pass through. */
function toPlainInput(input: unknown): unknown {
  if (typeof FormData !== "undefined" && input instanceof FormData) {
    const out: Record<string, string> = {};
    for (const [key, value] of input.entries()) if (typeof value === "string" && !key.startsWith("$ACTION")) out[key] = value;
    return out;
  }
  return input;
}

/**
 * The one way to define a server action: authenticate, check the permission table, validate with
 * zod, then run the handler. Server actions are public POST endpoints, so nothing is trusted.
 * `name` (the exported name) is what the one log line per call says — never the input, which
 * may hold a password.
 */
export function defineAction<Schema extends z.ZodType, T>(
  permission: Permission,
  schema: Schema,
  handler: (input: z.output<Schema>, context: ActionContext) => Promise<ActionResult<T>>,
  name: string,
): (input: unknown) => Promise<ActionResult<T>> {
  return async (rawInput: unknown) => {
    const meta = await getRequestMeta();
    return runWithRequestLogger({ requestId: meta.requestId }, async () => {
      const startedAt = performance.now();
      const call: { operatorId: string | null; outcome: string } = { operatorId: null, outcome: "error" };
      try {
        const result = await runAction(permission, schema, handler, rawInput, meta, call);
        call.outcome = result.ok ? "ok" : result.code;
        return result;
      } finally {
        (await getRequestLogger()).info(
          { action: name, operatorId: call.operatorId, outcome: call.outcome, durationMs: Math.round(performance.now() - startedAt) },
          "server action",
        );
      }
    });
  };
}

async function runAction<Schema extends z.ZodType, T>(
  permission: Permission,
  schema: Schema,
  handler: (input: z.output<Schema>, context: ActionContext) => Promise<ActionResult<T>>,
  rawInput: unknown,
  meta: RequestMeta,
  call: { operatorId: string | null },
): Promise<ActionResult<T>> {
  const t = await getTranslations("errors");
  let operator: OperatorIdentity;
  try {
    operator = await requirePermission(permission);
  } catch (error) {
    if (error instanceof UnauthenticatedError) return actionFailure("unauthenticated", t("unauthenticated"));
    if (error instanceof ForbiddenError) return actionFailure("forbidden", t("forbidden"));
    throw error;
  }
  call.operatorId = operator.id;
  const parsed = schema.safeParse(toPlainInput(rawInput));
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join(".") || "form";
      (fieldErrors[key] ??= []).push(issue.message);
    }
    return actionFailure("invalid", t("invalid"), fieldErrors);
  }
  // Everything logged below this point (lib/auth0, lib/danger-zone) names the operator too.
  return runWithRequestLogger({ requestId: meta.requestId, operatorId: operator.id }, async () => {
    try {
      return await handler(parsed.data, { operator, meta });
    } catch (error) {
      (await getRequestLogger()).error(
        { permission, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
        "server action failed",
      );
      return { ok: false, code: "internal", error: t("internal", { requestId: meta.requestId }), requestId: meta.requestId };
    }
  });
}
