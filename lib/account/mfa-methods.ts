import "server-only";
import { Auth0Error, listAuthenticationMethods, type AuthenticationMethodSummary } from "@/lib/auth0";
import type { DangerZoneDeps } from "@/lib/danger-zone/deps";
import { failure, failureFromAuth0Error, type PasswordResult } from "@/lib/danger-zone/failures";
import { isUserInScope } from "@/lib/scope/resolve";
import type { OperatorScope } from "@/lib/scope/types";

export type MfaMethodsData = { methods: AuthenticationMethodSummary[] };

/**
 * The user's enrolled authentication methods, read fresh for the Reset MFA dialog. A user outside
 * the operator's scope (checked at Auth0 now, beside the read) is answered like a missing one.
 */
export async function listMfaMethods(
  deps: Pick<DangerZoneDeps, "api">,
  userId: string,
  scope: OperatorScope | null,
): Promise<PasswordResult<MfaMethodsData>> {
  try {
    const [inScope, methods] = await Promise.all([
      scope === null ? true : isUserInScope(scope, userId, deps.api),
      listAuthenticationMethods(userId, deps.api),
    ]);
    return methods === null || !inScope ? failure({ code: "not_found" }) : { ok: true, data: { methods } };
  } catch (error) {
    if (error instanceof Auth0Error) return failure(failureFromAuth0Error(error));
    throw error;
  }
}
