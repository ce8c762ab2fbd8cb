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
import { generateOperatorPassword } from "@/lib/auth/passwords";
import { recordOperatorEvent } from "@/lib/audit/operator-events";
import { changeOperatorRoleSchema, createOperatorSchema, setOperatorDisabledSchema } from "@/lib/validations/operators";
import { action, actionFailure, defineActions } from "./safe-action";

/** Creates an operator with a generated one-time password, returned once and never stored. */
export const { createOperatorAction } = defineActions({ createOperatorAction: action("operators:manage", createOperatorSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  const password = generateOperatorPassword();
  try {
    const created = await createOperator({ ...input, password });
    await recordOperatorEvent("operator.created", { actor: operator, meta, target: created, details: { newRole: created.role } });
    revalidatePath("/operators");
    return { ok: true, data: { id: created.id, email: created.email, oneTimePassword: password } };
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
  const updated = await setOperatorRole(target.id, input.role);
  await recordOperatorEvent("operator.role_changed", { actor: operator, meta, target: updated, details: { previousRole: target.role, newRole: updated.role } });
  revalidatePath("/operators");
  return { ok: true, data: { id: updated.id } };
}) });

export const { setOperatorDisabledAction } = defineActions({ setOperatorDisabledAction: action("operators:manage", setOperatorDisabledSchema, async (input, { operator, meta }) => {
  const t = await getTranslations("operators.errors");
  if (input.operatorId === operator.id) return actionFailure("forbidden", t("notYourself"));
  const target = await findOperatorById(input.operatorId);
  if (!target) return actionFailure("not_found", t("notFound"));
  const updated = await setOperatorDisabled(target.id, input.disabled);
  await recordOperatorEvent(input.disabled ? "operator.disabled" : "operator.enabled", { actor: operator, meta, target: updated, details: {} });
  revalidatePath("/operators");
  return { ok: true, data: { id: updated.id } };
}) });
