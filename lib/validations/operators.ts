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

/**
 * A scope as the Operators page posts it: lists of connection names and organization ids or
 * names, a Lucene filter; all empty = the whole tenant. Only the shape here: lib/scope/validate.ts
 * checks the syntax and the tenant.
 */
export const setOperatorScopeSchema = z.object({
  operatorId: operatorIdSchema,
  connections: z.array(z.string().max(200)).max(100).default([]),
  organizations: z.array(z.string().max(200)).max(100).default([]),
  filter: z.string().max(5_000).nullish(),
});
