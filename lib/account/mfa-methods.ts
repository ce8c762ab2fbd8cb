import "server-only";
import { Auth0Error, listAuthenticationMethods, type AuthenticationMethodSummary } from "@/lib/auth0";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import { failure, failureFromAuth0Error, type PasswordResult } from "@/lib/danger-zone/failures";

export type MfaMethodsData = { methods: AuthenticationMethodSummary[] };

/** The user's enrolled authentication methods, read fresh for the Reset MFA dialog. */
export async function listMfaMethods(deps: Pick<DangerZoneDeps, "api">, userId: string): Promise<PasswordResult<MfaMethodsData>> {
  try {
    const methods = await listAuthenticationMethods(userId, deps.api);
    return methods === null ? failure({ code: "not_found" }) : { ok: true, data: { methods } };
  } catch (error) {
    if (error instanceof Auth0Error) return failure(failureFromAuth0Error(error));
    throw error;
  }
}
