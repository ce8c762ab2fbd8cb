import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { UserSearch, type ConnectionOption, type SearchErrorView } from "@/components/users/user-search";
import { listConnections } from "@/lib/auth0/connections";
import type { UserSearchResult } from "@/lib/auth0/types";
import { searchUsers } from "@/lib/auth0/users";
import { requirePageOperator } from "@/lib/auth/session";
import { toUsersErrorDto } from "@/lib/users/responses";
import { parseSort, searchStateFromParams } from "@/lib/validations/users";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("users");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first page is rendered here, through lib/auth0, so the page is useful before JavaScript runs. */
async function loadFirstPage(
  state: ReturnType<typeof searchStateFromParams>,
): Promise<{ result: UserSearchResult | null; error: SearchErrorView | null }> {
  try {
    const result = await searchUsers({
      field: state.field,
      text: state.q,
      connection: state.connection || undefined,
      sort: parseSort(state.sort),
      page: state.page,
      perPage: state.perPage,
    });
    return { result, error: null };
  } catch (error) {
    const dto = toUsersErrorDto(error);
    if (!dto) throw error;
    return {
      result: null,
      error: { status: dto.status, code: dto.code, message: dto.message, retryAt: dto.retryAt },
    };
  }
}

async function loadConnectionOptions(): Promise<ConnectionOption[]> {
  try {
    return (await listConnections()).map(({ name, displayName, type }) => ({ name, displayName, type }));
  } catch {
    // Without read:connections the filter is empty; searching still works.
    return [];
  }
}

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePageOperator("users:read");
  const t = await getTranslations("users");
  const state = searchStateFromParams(await searchParams);
  const [{ result, error }, connections] = await Promise.all([loadFirstPage(state), loadConnectionOptions()]);

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("intro")}</p>
      </div>
      <UserSearch
        initialState={state}
        initialResult={result}
        initialError={error}
        connections={connections}
      />
    </div>
  );
}
