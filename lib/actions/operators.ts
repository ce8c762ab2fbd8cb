"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import {
  OperatorExistsError,
  createOperator,
  findOperatorById,
  setOperatorDisabled,
  setOperatorRole,
} from "@/lib/auth/operator-admin";
import { generateInitialOperatorPassword } from "@/lib/auth/operator-password-hash";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import { changeOperatorRoleSchema, createOperatorSchema, setOperatorDisabledSchema } from "@/lib/validations/operators";
import { actionFailure, defineAction } from "./safe-action";

/** Creates an operator with a generated initial password, returned once and never stored. */
export const createOperatorAction = defineAction("operators:manage", createOperatorSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  const password = generateInitialOperatorPassword();
  try {
    const created = await createOperator({ ...input, password });
    await recordOperatorEvent("operator.created", { actor: operator, meta, target: created, details: { newRole: created.role } });
    revalidatePath("/operators");
    return { ok: true, data: { id: created.id, email: created.email, initialPassword: password } };
  } catch (error) {
    if (error instanceof OperatorExistsError) return actionFailure("conflict", t("exists"), { email: [t("exists")] });
    throw error;
  }
}, "createOperatorAction");

export const changeOperatorRoleAction = defineAction("operators:manage", changeOperatorRoleSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  if (input.operatorId === operator.id) return actionFailure("forbidden", t("notYourself"));
  const target = await findOperatorById(input.operatorId);
  if (!target) return actionFailure("not_found", t("notFound"));
  if (target.role === input.role) return { ok: true, data: { id: target.id } };
  const updated = await setOperatorRole(target.id, input.role);
  await recordOperatorEvent("operator.role_changed", { actor: operator, meta, target: updated, details: { previousRole: target.role, newRole: updated.role } });
  revalidatePath("/operators");
  return { ok: true, data: { id: updated.id } };
}, "changeOperatorRoleAction");

export const setOperatorDisabledAction = defineAction("operators:manage", setOperatorDisabledSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  if (input.operatorId === operator.id) return actionFailure("forbidden", t("notYourself"));
  const target = await findOperatorById(input.operatorId);
  if (!target) return actionFailure("not_found", t("notFound"));
  const updated = await setOperatorDisabled(target.id, input.disabled);
  await recordOperatorEvent(input.disabled ? "operator.disabled" : "operator.enabled", { actor: operator, meta, target: updated, details: {} });
  revalidatePath("/operators");
  return { ok: true, data: { id: updated.id } };
}, "setOperatorDisabledAction");
