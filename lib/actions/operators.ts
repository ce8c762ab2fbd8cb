"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { Auth0Error } from "@/lib/auth0/errors";
import { scopeFieldErrors, type ScopeErrorTranslator } from "@/lib/scope/problem-messages";
import {
  OperatorExistsError,
  changeOperatorDisabled,
  changeOperatorScope,
  changeOperatorRole,
  createOperatorWithInitialPassword,
  changeOperatorMfaRequired,
  findOperatorById,
  resetOperatorMfa,
} from "@/lib/operators/service";
import { operatorMfaRequiredSchema, operatorMfaSchema } from "@/lib/validations/security";
import { changeOperatorRoleSchema, createOperatorSchema, setOperatorDisabledSchema, setOperatorScopeSchema } from "@/lib/validations/operators";
import { action, actionFailure, defineActions } from "./safe-action";

/** Creates an operator with a generated initial password, returned once and never stored. */
export const { createOperatorAction } = defineActions({ createOperatorAction: action("operators:manage", createOperatorSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  try {
    const { operator: created, initialPassword } = await createOperatorWithInitialPassword(input, { kind: "operator", operator, meta });
    revalidatePath("/operators");
    return { ok: true, data: { id: created.id, email: created.email, initialPassword } };
  } catch (error) {
    if (error instanceof OperatorExistsError) return actionFailure("conflict", t("exists"), { email: [t("exists")] });
    throw error;
  }
}) });

export const { changeOperatorRoleAction } = defineActions({ changeOperatorRoleAction: action("operators:manage", changeOperatorRoleSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  if (input.operatorId === operator.id) return actionFailure("forbidden", t("notYourself"));
  const target = await findOperatorById(input.operatorId);
  if (!target) return actionFailure("not_found", t("notFound"));
  if (target.role === input.role) return { ok: true, data: { id: target.id } };
  const updated = await changeOperatorRole(target, input.role, { kind: "operator", operator, meta });
  revalidatePath("/operators");
  return { ok: true, data: { id: updated.id } };
}) });

export const { setOperatorDisabledAction } = defineActions({ setOperatorDisabledAction: action("operators:manage", setOperatorDisabledSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  if (input.operatorId === operator.id) return actionFailure("forbidden", t("notYourself"));
  const target = await findOperatorById(input.operatorId);
  if (!target) return actionFailure("not_found", t("notFound"));
  const updated = await changeOperatorDisabled(target, input.disabled, { kind: "operator", operator, meta });
  revalidatePath("/operators");
  return { ok: true, data: { id: updated.id } };
}) });

/** Removes every MFA factor of another operator and ends all their sessions. */
export const { resetOperatorMfaAction } = defineActions({ resetOperatorMfaAction: action("operators:manage", operatorMfaSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  if (input.operatorId === operator.id) return actionFailure("forbidden", t("notYourself"));
  const target = await findOperatorById(input.operatorId);
  if (!target) return actionFailure("not_found", t("notFound"));
  const result = await resetOperatorMfa(target, { kind: "operator", operator, meta });
  revalidatePath("/operators");
  return { ok: true, data: { id: target.id, sessionsEnded: result.sessionsEnded } };
}) });

/** Requires MFA for one operator whatever MFA_REQUIRED_ROLES says (or lifts that). */
export const { setOperatorMfaRequiredAction } = defineActions({ setOperatorMfaRequiredAction: action("operators:manage", operatorMfaRequiredSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  const target = await findOperatorById(input.operatorId);
  if (!target) return actionFailure("not_found", t("notFound"));
  await changeOperatorMfaRequired(target, input.required, { kind: "operator", operator, meta });
  revalidatePath("/operators");
  return { ok: true, data: { id: target.id } };
}) });

/**
 * Sets another operator's scope (all empty = the whole tenant), validated against the tenant; a
 * refused scope saves nothing and names each problem on its field. Applies from their next request.
 */
export const { setOperatorScopeAction } = defineActions({ setOperatorScopeAction: action("operators:manage", setOperatorScopeSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  const ts = await getTranslations("OperatorScope.errors");
  if (input.operatorId === operator.id) return actionFailure("forbidden", t("notYourself"));
  const target = await findOperatorById(input.operatorId);
  if (!target) return actionFailure("not_found", t("notFound"));
  try {
    const result = await changeOperatorScope(target, input, { kind: "operator", operator, meta });
    if (!result.ok) return actionFailure("invalid", ts("refused"), scopeFieldErrors(result.problems, ts as ScopeErrorTranslator));
    revalidatePath("/operators");
    return { ok: true, data: { id: target.id, changed: result.changed } };
  } catch (error) {
    // The tenant could not say whether the scope is valid: nothing is saved.
    if (error instanceof Auth0Error) return actionFailure("upstream", ts("unverifiable"));
    throw error;
  }
}) });
