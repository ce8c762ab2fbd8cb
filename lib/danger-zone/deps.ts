import "server-only";
import { getManagementApi, type ManagementApi } from "@/lib/auth0";
import { getAuthenticationApi, type AuthenticationApi } from "@/lib/auth0/password-operations";
import type { ProtectedUsers } from "@/lib/approvals/protected-users";
import { getPrisma, type PrismaClient } from "@/lib/db";
import { getEnv } from "@/lib/server-env";

/** What the Danger Zone operations talk to; tests pass their own (local tenant, fresh database). */
export type DangerZoneDeps = {
  db: PrismaClient;
  api: ManagementApi;
  auth: AuthenticationApi;
  /** Application whose reset email template / reset page settings are used. */
  resetClientId: string;
  /** Hosts a reset link may send the user to afterwards (`RESET_RESULT_URL_HOSTS`); empty = none. */
  resultUrlHosts: readonly string[];
  /** Users whose password actions need another admin's approval first; unset = nobody (tests that do not test it). */
  protection?: ProtectedUsers | undefined;
};

export async function getDangerZoneDeps(): Promise<DangerZoneDeps> {
  const env = getEnv();
  return {
    db: await getPrisma(),
    api: getManagementApi(),
    auth: getAuthenticationApi(),
    resetClientId: env.auth0.resetClientId,
    resultUrlHosts: env.RESET_RESULT_URL_HOSTS,
    protection: { query: env.PROTECTED_USERS_QUERY, connections: env.PROTECTED_CONNECTIONS },
  };
}
