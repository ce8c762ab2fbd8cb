import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

export const operatorRoleSchema = z.enum(ROLES);

export const createOperatorSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).email(),
  name: z.string().trim().min(1).max(100),
  role: operatorRoleSchema,
});

export const changeOperatorRoleSchema = z.object({
  operatorId: z.string().min(1).max(64),
  role: operatorRoleSchema,
});

export const setOperatorDisabledSchema = z.object({
  operatorId: z.string().min(1).max(64),
  disabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]),
});
