import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageOperator } from "@/lib/auth/session";

export default async function AppLayout({ children }: { children: ReactNode }) {
  return <AppShell operator={await requirePageOperator()}>{children}</AppShell>;
}
