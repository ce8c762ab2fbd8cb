import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { ScopeNotice } from "@/components/scope/scope-notice";
import { UserSearch, type SearchErrorView } from "@/components/users/user-search";
import type { UserSearchResult } from "@/lib/auth0/types";
import { requirePageOperator } from "@/lib/auth/session";
import { resolveScope, type ResolvedScope } from "@/lib/scope/resolve";
import { toUsersErrorDto } from "@/lib/users/responses";
import { listConnectionOptions, searchUserDirectory } from "@/lib/users/search";
import { searchStateFromParams } from "@/lib/validations/users";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("users");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first page is rendered here, through lib/users, so the page is useful before JavaScript runs. */
async function loadFirstPage(
  state: ReturnType<typeof searchStateFromParams>,
  resolved: ResolvedScope,
): Promise<{ result: UserSearchResult | null; error: SearchErrorView | null }> {
  try {
    return { result: await searchUserDirectory(state, resolved), error: null };
  } catch (error) {
    const dto = toUsersErrorDto(error);
    if (!dto) throw error;
    return {
      result: null,
      error: { status: dto.status, code: dto.code, message: dto.message, retryAt: dto.retryAt },
    };
  }
}

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const operator = await requirePageOperator("users:read");
  const t = await getTranslations("users");
  const state = searchStateFromParams(await searchParams);
  // Resolved once here for the notice and the first page; /api/users resolves it per request.
  const resolved = await resolveScope(operator.scope);
  const [{ result, error }, connections] = await Promise.all([loadFirstPage(state, resolved), listConnectionOptions()]);

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("intro")}</p>
      </div>
      {resolved.kind === "none" ? <ScopeNotice resolved={resolved} /> : null}
      <NuqsAdapter>
        <UserSearch
          initialState={state}
          initialResult={result}
          initialError={error}
          connections={connections}
        />
      </NuqsAdapter>
    </div>
  );
}
