import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireSecurityPageOperator } from "@/lib/auth/session";

/**
 * The operator's own security page sits outside the (app) group: it is the one page an operator
 * who must enrol in MFA may reach before enrolling (every other page redirects here).
 */
export default async function SecurityLayout({ children }: { children: ReactNode }) {
  return <AppShell operator={await requireSecurityPageOperator()}>{children}</AppShell>;
}
