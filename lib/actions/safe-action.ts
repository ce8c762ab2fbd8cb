import "server-only";
import { getTranslations } from "next-intl/server";
import { type z } from "zod";
import { ForbiddenError, MfaEnrolmentRequiredError, StepUpRequiredError, UnauthenticatedError } from "@/lib/auth/errors";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type { Permission } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { getRequestLogger, runWithRequestLogger } from "@/lib/logger";
import { operatorRateLimitFromEnv, takeOperatorCall } from "@/lib/http/operator-rate-limit";
import { getRequestMeta, type RequestMeta } from "@/lib/request-meta";

/** What every server action returns: expected failures are values, never thrown. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      code: "unauthenticated" | "forbidden" | "invalid" | "conflict" | "not_found" | "upstream" | "rate_limited" | "internal"
        /** The permission needs a recent authentication: confirm identity (lib/actions/security.ts), then retry. */
        | "step_up_required"
        /** The operator must enrol in MFA first (MFA_REQUIRED_ROLES or set by an admin). */
        | "mfa_enrolment_required"
        /** The user is protected: another admin must approve this operation first (lib/actions/approvals.ts). */
        | "approval_required";
      error: string;
      fieldErrors?: Record<string, string[]>;
      requestId?: string;
      /** With `rate_limited`: when the operator may try again. */
      retryAfterSeconds?: number;
      /** Auth0 refused for a missing Management API scope: the scopes it named (any one suffices). */
      missingScopes?: string[];
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

/** One server action before it has a name: its permission, input schema and handler. */
export type ActionDefinition<T> = {
  readonly permission: Permission;
  /** Runs the action under `name` (the log line's `action`). */
  readonly run: (rawInput: unknown, name: string) => Promise<ActionResult<T>>;
};

/**
 * One server action: authenticate, check the permission table, validate with zod, then run the
 * handler. Server actions are public POST endpoints, so nothing is trusted. Named by
 * defineActions, which logs one line per call under that name — never the input, which may hold
 * a password.
 */
export function action<Schema extends z.ZodType, T>(
  permission: Permission,
  schema: Schema,
  handler: (input: z.output<Schema>, context: ActionContext) => Promise<ActionResult<T>>,
): ActionDefinition<T> {
  return {
    permission,
    run: async (rawInput, name) => {
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
    },
  };
}

/**
 * The one way to export server actions, named by their keys, destructured into exports:
 * `export const { setPasswordAction } = defineActions({ setPasswordAction: action(…) })`.
 * The key is the exported name and the logged name at once — TypeScript refuses an export that
 * is not a key, so the two cannot drift apart the way a repeated string could.
 */
export function defineActions<Definitions extends Record<string, ActionDefinition<unknown>>>(
  definitions: Definitions,
): { [Name in keyof Definitions]: Definitions[Name] extends ActionDefinition<infer T> ? (input: unknown) => Promise<ActionResult<T>> : never } {
  const actions: Record<string, (input: unknown) => Promise<ActionResult<unknown>>> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    actions[name] = async (rawInput: unknown) => definition.run(rawInput, name);
  }
  return actions as ReturnType<typeof defineActions<Definitions>>;
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
    if (error instanceof StepUpRequiredError) return actionFailure("step_up_required", t("stepUpRequired"));
    if (error instanceof MfaEnrolmentRequiredError) return actionFailure("mfa_enrolment_required", t("mfaEnrolmentRequired"));
    if (error instanceof ForbiddenError) return actionFailure("forbidden", t("forbidden"));
    throw error;
  }
  call.operatorId = operator.id;
  // The same per-operator budget as the route handlers (lib/http/operator-rate-limit).
  const budget = takeOperatorCall(operator.id, operatorRateLimitFromEnv());
  if (!budget.ok) {
    return {
      ok: false,
      code: "rate_limited",
      error: t("operatorRateLimited", { seconds: budget.retryAfterSeconds }),
      retryAfterSeconds: budget.retryAfterSeconds,
    };
  }
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
