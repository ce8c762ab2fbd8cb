import "server-only";
import { getEnv } from "@/lib/server-env";
import { can as canRole, type Permission } from "./permissions";

/**
 * The permission table with this deployment's settings (SUPPORT_CAN_SET_PASSWORD), for services
 * that decide what an operator may do. No framework imports (unlike ./session), so services and
 * CLIs that run outside Next (bench, scripts) can use it.
 */
export function permissionSettings() {
  return { supportCanSetPassword: getEnv().SUPPORT_CAN_SET_PASSWORD };
}

/** Whether this operator may do it — for hiding UI and for services; actions still call requirePermission. */
export function can(operator: { role: Parameters<typeof canRole>[0] }, permission: Permission): boolean {
  return canRole(operator.role, permission, permissionSettings());
}
