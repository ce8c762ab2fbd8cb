import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { hasControlCharacters } from "./text";

/** Operator ids are cuids; anything else cannot name an operator. */
const operatorIdSchema = z.string().regex(/^[a-z0-9]{1,64}$/i);

export const operatorRoleSchema = z.enum(ROLES);

export const createOperatorSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).email(),
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((value) => !hasControlCharacters(value)),
  role: operatorRoleSchema,
});

export const changeOperatorRoleSchema = z.object({
  operatorId: operatorIdSchema,
  role: operatorRoleSchema,
});

export const setOperatorDisabledSchema = z.object({
  operatorId: operatorIdSchema,
  disabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]),
});
