import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { canSeeApprovals } from "@/lib/approvals/password-approvals";
import { can } from "@/lib/auth/session";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import { canReadAudit } from "@/lib/auth/permissions";
import { getEnv } from "@/lib/server-env";
import { ScopeBadge } from "@/components/scope/scope-badge";
import { LanguageSwitch } from "./language-switch";
import { MainNav, type NavItem } from "./main-nav";
import { OperatorMenu } from "./operator-menu";

export async function AppHeader({ operator }: { operator: OperatorIdentity }) {
  const t = await getTranslations("shell");
  const env = getEnv();
  const items: NavItem[] = [];
  if (can(operator, "users:read")) items.push({ href: "/users", label: t("nav.users") });
  if (canReadAudit(operator.role, { supportCanSetPassword: env.SUPPORT_CAN_SET_PASSWORD })) {
    items.push({ href: "/audit", label: t("nav.audit") });
  }
  if (can(operator, "operators:manage")) items.push({ href: "/operators", label: t("nav.operators") });
  if (can(operator, "bulk:run")) items.push({ href: "/bulk", label: t("nav.bulk") });
  if (canSeeApprovals(operator)) items.push({ href: "/approvals", label: t("nav.approvals") });

  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="text-base font-semibold text-indigo-700 dark:text-indigo-300">
          Passdesk
        </Link>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          <span className="sr-only">{t("tenant")}: </span>
          <span className="font-mono">{env.auth0.domain}</span>
          {env.isDemo ? <span> · {t("demoTenant")}</span> : null}
        </p>
        <MainNav items={items} label={t("nav.label")} />
        <div className="ml-auto flex min-w-0 flex-wrap items-center justify-end gap-x-3 gap-y-2">
          <LanguageSwitch />
          {operator.scope ? <ScopeBadge scope={operator.scope} /> : null}
          <OperatorMenu name={operator.name} email={operator.email} role={operator.role} />
        </div>
      </div>
    </header>
  );
}
