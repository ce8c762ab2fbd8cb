import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** Unknown or malformed user id: a plain "not found", inside the app shell (not an error). */
export default async function UserNotFound() {
  const t = await getTranslations("users.profile.notFound");
  return (
    <div className="mx-auto max-w-xl py-12">
      <p className="text-sm font-semibold text-indigo-700 dark:text-indigo-300">404</p>
      <h1 className="mt-1 text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">{t("body")}</p>
      <p className="mt-6">
        <Link href="/users" className="text-sm font-medium text-indigo-700 underline dark:text-indigo-300">
          {t("back")}
        </Link>
      </p>
    </div>
  );
}
