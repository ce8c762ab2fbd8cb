import { StepUpSsoDone } from "@/components/security/step-up-sso-popup";
import { parseStepUpSsoResult } from "@/lib/auth/step-up-sso";

/** Where the IdP's step-up comes back (the OIDC callback redirects here with ?result=…). */
export default async function StepUpSsoDonePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { result } = await searchParams;
  return <StepUpSsoDone result={parseStepUpSsoResult(result) ?? "session_ended"} />;
}
