import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MfaSettings } from "@/components/security/mfa-settings";
import { SessionsList } from "@/components/security/sessions-list";
import { getCurrentSessionId, getMfaGate } from "@/lib/auth/mfa/gate";
import { getMfaStatus } from "@/lib/auth/mfa/service";
import { listOpenOperatorSessions } from "@/lib/auth/operator-sessions";
import { sessionSettings } from "@/lib/auth/operator-service";
import { requireSecurityPageOperator } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("security");
  return { title: t("title") };
}

/** The operator's own sign-in security: two-step verification, passkeys, recovery codes, sessions. */
export default async function SecurityPage() {
  const operator = await requireSecurityPageOperator();
  const t = await getTranslations("security");
  const db = await getPrisma();
  const [status, gate, currentSessionId] = await Promise.all([getMfaStatus(db, operator.id), getMfaGate(operator.id, operator.role), getCurrentSessionId()]);
  const sessions = await listOpenOperatorSessions(db, { operatorId: operator.id, currentSessionId, now: new Date(), settings: sessionSettings() });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("intro")}</p>
      </div>
      {gate.isRequired && !gate.isEnrolled ? (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          {t("enrolRequired")}
        </div>
      ) : null}
      <MfaSettings
        status={{
          hasTotp: status.hasTotp,
          recoveryCodesLeft: status.recoveryCodesLeft,
          passkeys: status.passkeys.map((passkey) => ({
            id: passkey.id,
            name: passkey.name,
            createdAt: passkey.createdAt.toISOString(),
            lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
          })),
        }}
      />
      <SessionsList
        sessions={sessions.map((session) => ({
          handle: session.handle,
          createdAt: session.createdAt.toISOString(),
          lastSeenAt: session.lastSeenAt.toISOString(),
          authMethod: session.authMethod,
          ip: session.ip,
          userAgent: session.userAgent,
          isCurrent: session.isCurrent,
        }))}
      />
    </div>
  );
}
