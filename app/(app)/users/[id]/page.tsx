import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { AccountSection } from "@/components/account/account-section";
import { PasswordHistory } from "@/components/audit/password-history";
import { DangerZone } from "@/components/danger-zone/danger-zone";
import { UserActionsSection, UserDetails, UserIdentities, UserMetadata, UserProfileHeader } from "@/components/users/user-profile";
import { requirePageOperator } from "@/lib/auth/session";
import type { Auth0Error } from "@/lib/auth0/errors";
import { accountViewFor, dangerZoneViewFor, loadUserProfile } from "@/lib/users/profile";
import { toUsersErrorDto } from "@/lib/users/responses";

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
  await requirePageOperator("users:read");
  const t = await getTranslations("users");
  const loaded = await loadUserProfile((await params).id);
  return { title: loaded.status === "ok" ? loaded.user.name : t("title") };
}

/**
 * A user's profile. Data comes from loadUserProfile (lib/users/profile), which answers
 * notFound() for unknown or malformed ids. Password actions and history go inside
 * <UserActionsSection>, which receives the same DTO.
 */
export default async function UserPage({ params }: { params: Params }) {
  const operator = await requirePageOperator("users:read");
  const t = await getTranslations("users");
  const loaded = await loadUserProfile((await params).id);

  return (
    <div className="space-y-6">
      <p>
        <Link href="/users" className="text-sm font-medium text-indigo-700 underline dark:text-indigo-300">
          ← {t("profile.back")}
        </Link>
      </p>
      {loaded.status === "unavailable" ? (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <h1 className="font-semibold">{t("errors.title")}</h1>
          <p className="mt-1">{await unavailableMessage(loaded.error)}</p>
        </div>
      ) : (
        <>
          <UserProfileHeader user={loaded.user} />
          <div className="grid gap-6 lg:grid-cols-2">
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
