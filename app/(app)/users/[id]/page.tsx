import type { Metadata } from "next";
import { Suspense } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import { AccountSection } from "@/components/account/account-section";
import { PasswordHistory } from "@/components/audit/password-history";
import { DangerZone } from "@/components/danger-zone/danger-zone";
import { diagnosisFixActions } from "@/components/account/fix-actions";
import { DiagnosisPanel } from "@/components/support-case/diagnosis-panel";
import { ResetStatusPanel } from "@/components/support-case/reset-status-panel";
import { PanelSkeleton, TimelinePanel } from "@/components/support-case/timeline-panel";
import { BackToUsers } from "@/components/users/back-to-users";
import { UserActionsSection, UserDetails, UserIdentities, UserMetadata, UserProfileHeader } from "@/components/users/user-profile";
import { requirePageOperator } from "@/lib/auth/session";
import type { Auth0Error } from "@/lib/auth0/errors";
import { accountViewFor, dangerZoneViewFor, loadUserProfile } from "@/lib/users/profile";
import { toUsersErrorDto } from "@/lib/users/responses";
import { preloadSupportCase } from "@/lib/support-case/service";

type Params = Promise<{ id: string }>;

/** Why the profile cannot be shown, in the same words the users search uses for the same fault. */
async function unavailableMessage(error: Auth0Error): Promise<string> {
  const t = await getTranslations("users");
  const dto = toUsersErrorDto(error);
  switch (dto?.code) {
    case "rate_limited": {
      const format = await getFormatter();
      return t("errors.rate_limited", {
        time: dto.retryAt ? format.dateTime(new Date(dto.retryAt), { timeStyle: "medium" }) : "—",
      });
    }
    case "upstream_timeout":
    case "upstream_untrusted":
      return t(`errors.${dto.code}`);
    case "upstream_misconfigured":
      return t("errors.upstream_misconfigured", { message: dto.message });
    default:
      return t("profile.unavailable");
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  // Next may render the metadata before (or without) the page: check the operator first, so a
  // signed-out or disabled visitor never makes Passdesk call Auth0 (same check as the page).
  const operator = await requirePageOperator("users:read");
  const t = await getTranslations("users");
  const loaded = await loadUserProfile((await params).id, operator.scope);
  return { title: loaded.status === "ok" ? loaded.user.name : t("title") };
}

/**
 * A user's profile, as a support case: the sign-in diagnosis first, then what became of the
 * reset emails and links, the sign-in timeline, the profile details and the actions.
 *
 * Auth0 calls per render: the user (loadUserProfile, React cache — shared with the metadata),
 * the brute-force blocks and one page of logs (lib/support-case/service, React cache — shared
 * by the diagnosis, the timeline and the reset status). All three start before anything
 * awaits, so they run in parallel; each panel streams in behind its own Suspense boundary and
 * says what it could not load while the rest of the page renders.
 */
export default async function UserPage({ params }: { params: Params }) {
  const operator = await requirePageOperator("users:read");
  const id = (await params).id;
  // Only an in-scope user's logs are read: the scope check comes first for a scoped operator.
  if (!operator.scope) preloadSupportCase(id);
  const [t, ts, loaded] = await Promise.all([
    getTranslations("users"),
    getTranslations("supportCase"),
    loadUserProfile(id, operator.scope),
  ]);

  return (
    <div className="space-y-6">
      <p>
        <BackToUsers label={t("profile.back")} />
      </p>
      {loaded.status === "unavailable" ? (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <h1 className="font-semibold">{t("errors.title")}</h1>
          <p className="mt-1">{await unavailableMessage(loaded.error)}</p>
        </div>
      ) : (
        <>
          <UserProfileHeader user={loaded.user} />
          <Suspense fallback={<PanelSkeleton label={ts("diagnosis.title")} />}>
            <DiagnosisPanel user={loaded.user} fixActions={diagnosisFixActions(accountViewFor(loaded.user, operator))} />
          </Suspense>
          <Suspense fallback={<PanelSkeleton label={ts("reset.title")} />}>
            <ResetStatusPanel user={loaded.user} />
          </Suspense>
          <Suspense fallback={<PanelSkeleton label={ts("timeline.title")} />}>
            <TimelinePanel user={loaded.user} />
          </Suspense>
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <UserIdentities user={loaded.user} />
            <UserDetails user={loaded.user} />
          </div>
          <UserMetadata user={loaded.user} />
          <UserActionsSection>
            <AccountSection view={accountViewFor(loaded.user, operator)} />
            <DangerZone view={dangerZoneViewFor(loaded.user, operator)} />
            <PasswordHistory userId={loaded.user.userId} />
          </UserActionsSection>
        </>
      )}
    </div>
  );
}
