import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { StepUpSsoStart } from "@/components/security/step-up-sso-popup";
import { getCurrentOperator } from "@/lib/auth/session";
import { getEnv } from "@/lib/server-env";

/** The step-up popup's first page: starts the IdP sign-in (prompt=login, max_age=0) for a signed-in operator. */
export default async function StepUpSsoPage() {
  const operator = await getCurrentOperator();
  if (!operator) redirect("/sign-in");
  const oidc = getEnv().oidc;
  const t = await getTranslations("security.stepUp.sso");
  if (!oidc) return <p className="p-6">{t("failed")}</p>;
  return <StepUpSsoStart name={oidc.name} />;
}
